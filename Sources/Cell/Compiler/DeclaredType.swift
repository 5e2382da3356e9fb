/// The type a variable was declared with, which every later assignment to it keeps, as in
/// Swift: `var rate: Double = 1; rate = 2` stores 2.0, and `var n: Int = 0; n = "a"` is an
/// error. A variable whose initial value is a floating-point literal (`var lr = 0.1`) is a
/// Double too, so integers assigned to it later become Doubles.
enum DeclaredType {
    /// Written in the declaration (`var rate: Double`).
    case declared(TypeCheck)
    /// Inferred from a floating-point literal: integers convert, nothing else is checked.
    case inferredDouble

    /// The declared type of `let`/`var` entry, if it has one the language checks.
    init?(annotation: TypeSyntax?, value: Expr?) {
        if let annotation {
            let spec = TypeSpec(annotation)
            guard spec != .any else { return nil }
            self = .declared(TypeCheck(spec))
            return
        }
        guard let value, DeclaredType.isFloatLiteral(value) else { return nil }
        self = .inferredDouble
    }

    private static func isFloatLiteral(_ expression: Expr) -> Bool {
        switch expression.kind {
        case .float: return true
        case .prefix(let op, let operand) where op == "-" || op == "+":
            return isFloatLiteral(operand)
        default: return false
        }
    }
}

extension Session {
    /// `value` converted to the declared type of the variable `name` it is assigned to.
    @inline(__always)
    func converted(
        _ value: Value, to type: DeclaredType, name: String, at site: SourceLocation
    ) throws(Failure) -> Value {
        switch type {
        case .inferredDouble:
            if case .int(let integer) = value { return .double(Double(integer)) }
            return value
        case .declared(let declared):
            return try check(value, declared, at: site) { value in
                "cannot assign a value of type \(value.typeName) to '\(name)' of type "
                    + declared.spec.description
            }
        }
    }
}
