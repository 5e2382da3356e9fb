/// A statement of the syntax tree, with the range of source it came from.
struct Stmt: Sendable {
    var kind: StmtKind
    var range: SourceRange
    /// The statement was followed by `;` (a trailing `;` suppresses a cell's result).
    var endsWithSemicolon = false

    init(_ kind: StmtKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// The kinds of statement.
indirect enum StmtKind: Sendable {
    case expression(Expr)
    case binding(BindingDecl)
    case function(FunctionDecl)
    case structure(StructDecl)
    case extensionDecl(ExtensionDecl)
    case ifStatement(IfStatement)
    case guardStatement(conditions: [Condition], elseBody: [Stmt])
    case whileLoop(label: String?, conditions: [Condition], body: [Stmt])
    case repeatWhile(label: String?, body: [Stmt], condition: Expr)
    case forIn(ForInLoop)
    case switchStatement(SwitchStatement)
    case breakStatement(label: String?)
    case continueStatement(label: String?)
    case returnStatement(Expr?)
    case fallthroughStatement
    /// `do { … }`: a nested scope.
    case block([Stmt])
    /// `%name argument` (line magic) or `%%name …` (cell magic, only first in a cell).
    case magic(name: String, argument: String, argumentStart: Int, isCell: Bool)
    /// `import Foundation` and the like: accepted and ignored.
    case importDeclaration(String)
    case missing
}

/// `let`/`var` with one or more `pattern (: Type)? (= value)?` bindings.
struct BindingDecl: Sendable {
    var isVar: Bool
    var isStatic: Bool = false
    var entries: [BindingEntry]
}

/// One `pattern: Type = value` of a binding declaration.
struct BindingEntry: Sendable {
    var pattern: Pattern
    var type: TypeSyntax?
    var value: Expr?
    /// For a computed property `var area: Double { … }`: the getter and optional setter.
    var accessors: Accessors?
}

/// A computed property's getter and setter.
struct Accessors: Sendable {
    var getter: [Stmt]
    var setterParameter: String
    var setter: [Stmt]?
}

/// `func name(parameters) -> Type { body }`; also `init(…)` inside a struct.
struct FunctionDecl: Sendable {
    var name: String
    var nameRange: SourceRange
    var parameters: [ParameterDecl]
    var returnType: TypeSyntax?
    var body: [Stmt]
    var isMutating = false
    var isStatic = false
    var isInitializer = false
    /// The declaration's text up to its body, for inspection (`func f(_ x: Int) -> Int`).
    var signatureText: String
    /// `///` comment lines just before the declaration, for inspection.
    var documentation: String?
}

/// One parameter of a `func`: `label name: Type = default`, `_ x`, `xs: Int...`.
struct ParameterDecl: Sendable {
    /// The argument label; nil for `_`.
    var label: String?
    var name: String
    var type: TypeSyntax?
    var defaultValue: Expr?
    var isVariadic = false
    var isInout = false
    var range: SourceRange
}

/// `struct Name: Protocol { members }`.
struct StructDecl: Sendable {
    var name: String
    var nameRange: SourceRange
    var conformances: [String]
    var members: [Stmt]
}

/// `extension Name: Protocol { members }`.
struct ExtensionDecl: Sendable {
    var typeName: String
    var nameRange: SourceRange
    var conformances: [String]
    var members: [Stmt]
}

/// `if conditions { … } else …`.
struct IfStatement: Sendable {
    var conditions: [Condition]
    var thenBody: [Stmt]
    /// The `else` block, or a single nested `if` statement for `else if`.
    var elseBody: [Stmt]?
}

/// One clause of an `if`, `guard` or `while` condition list.
enum Condition: Sendable {
    case expression(Expr)
    /// `let x = optional` (`if let x` is `let x = x`).
    case optionalBinding(isVar: Bool, pattern: Pattern, value: Expr)
    /// `case pattern = value`.
    case patternMatch(pattern: Pattern, value: Expr)
}

/// `for pattern in sequence where condition { … }`.
struct ForInLoop: Sendable {
    var label: String?
    var pattern: Pattern
    var sequence: Expr
    var whereClause: Expr?
    var body: [Stmt]
}

/// `switch subject { case …: … default: … }`.
struct SwitchStatement: Sendable {
    var label: String?
    var subject: Expr
    var cases: [SwitchCase]
}

/// One `case p1, p2 where c:` (or `default:`) of a switch with its body.
struct SwitchCase: Sendable {
    /// Empty for `default`.
    var patterns: [Pattern]
    var guardExpression: Expr?
    var body: [Stmt]
    var range: SourceRange
}

/// A pattern: in `let`, `for`, `case` and closure parameters.
struct Pattern: Sendable {
    var kind: PatternKind
    var range: SourceRange

    init(_ kind: PatternKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// The kinds of pattern.
indirect enum PatternKind: Sendable {
    /// Binds a new name.
    case name(String)
    /// `_`.
    case wildcard
    case tuple([Pattern])
    /// Matches values equal to (or, for a range, contained in) the expression.
    case expression(Expr)
    /// `let p` / `var p` inside a case pattern: names in `p` bind.
    case binding(isVar: Bool, Pattern)
    /// `is Type`.
    case isType(TypeSyntax)
    /// `p?`: matches a non-nil value.
    case optional(Pattern)
}

/// A written type: `Int`, `[Double]`, `[String: Int]`, `(Int, Int)`, `Int?`, `(Int) -> Int`.
struct TypeSyntax: Sendable {
    var kind: TypeSyntaxKind
    var range: SourceRange

    init(_ kind: TypeSyntaxKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// The kinds of written type.
indirect enum TypeSyntaxKind: Sendable {
    case named(String, arguments: [TypeSyntax])
    case array(TypeSyntax)
    case dictionary(key: TypeSyntax, value: TypeSyntax)
    case optional(TypeSyntax)
    /// `(Int, Int)`, `(loss: Double, accuracy: Double)`: a label per element, nil where none.
    case tuple([TypeSyntax], labels: [String?])
    case function(parameters: [TypeSyntax], result: TypeSyntax)
    case missing
}
