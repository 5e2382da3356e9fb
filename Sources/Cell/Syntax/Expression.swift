/// An expression of the syntax tree, with the range of source it came from.
struct Expr: Sendable {
    var kind: ExprKind
    var range: SourceRange

    init(_ kind: ExprKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// A placeholder for an expression the parser expected but did not find.
    static func missing(at offset: Int) -> Expr { Expr(.missing, SourceRange(offset, offset)) }
}

/// The kinds of expression.
indirect enum ExprKind: Sendable {
    case integer(Int)
    case float(Double)
    case string([StringPart])
    case bool(Bool)
    case nilLiteral
    /// A name: a variable, function, type or `self`.
    case identifier(String)
    /// `$0`, `$1`, … inside a closure.
    case dollar(Int)
    case array([Expr])
    case dictionary([(key: Expr, value: Expr)])
    /// `(a, b)`, `(loss: l, accuracy: a)`; a parenthesised single expression is not a tuple.
    case tuple([TupleElement])
    case prefix(op: String, operand: Expr)
    /// `x!` and the one-sided range `x...`.
    case postfix(op: String, operand: Expr)
    case binary(op: String, lhs: Expr, rhs: Expr)
    case ternary(condition: Expr, then: Expr, otherwise: Expr)
    /// `=` and compound assignments such as `+=`.
    case assign(op: String, target: Expr, value: Expr)
    case call(callee: Expr, arguments: [Argument])
    case member(base: Expr, name: String, nameRange: SourceRange)
    /// `.relu`, `.gradual(epochs: 3)` (then the callee of a call): resolved against the type
    /// the context expects.
    case implicitMember(name: String)
    case subscriptAccess(base: Expr, arguments: [Argument])
    case closure(ClosureExpr)
    case cast(operand: Expr, kind: CastKind, type: TypeSyntax)
    /// `&x`, for `inout` arguments.
    case inoutArgument(Expr)
    /// An operator used as a function value: `reduce(0, +)`.
    case operatorReference(String)
    /// `x?` inside an optional chain: evaluates to nil for the whole chain when `x` is nil.
    case optionalMarker(Expr)
    /// The end of an optional chain `a?.b.c`.
    case optionalChain(Expr)
    /// `try x`: accepted for familiarity, evaluates `x`.
    case tryExpr(Expr)
    /// `if c { a } else { b }` used as a value.
    case ifExpression(IfStatement)
    /// `switch k { case …: a default: b }` used as a value.
    case switchExpression(SwitchStatement)
    case missing
}

/// One piece of a string literal.
enum StringPart: Sendable {
    case text(String)
    case interpolation(Expr)
}

/// One element of a tuple expression.
struct TupleElement: Sendable {
    var label: String?
    var value: Expr
}

/// One argument of a call or subscript.
struct Argument: Sendable {
    var label: String?
    /// The label's range, or an empty range where the argument starts.
    var labelRange: SourceRange
    var value: Expr
    /// Written as a trailing closure after the parentheses.
    var isTrailingClosure: Bool = false
}

/// `is`, `as`, `as?`, `as!`.
enum CastKind: String, Sendable {
    case isType = "is"
    case coerce = "as"
    case conditional = "as?"
    case forced = "as!"
}

/// A closure literal `{ (x, y) -> T in … }`.
struct ClosureExpr: Sendable {
    /// The declared parameters, or nil when the closure declares none (then `$0`, `$1`, … are
    /// its parameters).
    var parameters: [ClosureParameter]?
    var returnType: TypeSyntax?
    var body: [Stmt]
    /// The largest `$n` used directly in the body, plus one; 0 when none is used.
    var dollarCount: Int
}

/// A closure parameter.
struct ClosureParameter: Sendable {
    var name: String
    var type: TypeSyntax?
    var range: SourceRange
}
