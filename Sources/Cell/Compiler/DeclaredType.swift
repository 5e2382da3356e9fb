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

extension TypeSpec {
    /// The type of what one step of a place reaches in a value of this type (an element of an
    /// array, a dictionary's value, an optional's wrapped value), nil when unknown.
    func along(_ step: Place.Step) -> TypeSpec? {
        switch (step, self) {
        case (.index, .array(let element)): return element
        case (.index, .dictionary(_, let value)): return value
        case (.unwrap, .optional(let wrapped)), (.forceUnwrap, .optional(let wrapped)):
            return wrapped
        case (.unwrap, _), (.forceUnwrap, _): return self
        default: return nil
        }
    }

    /// Whether values of this type hold Doubles that an integer could stand for.
    var holdsDoubles: Bool {
        switch self {
        case .named(let name): return name == "Double"
        case .optional(let inner), .array(let inner): return inner.holdsDoubles
        case .dictionary(_, let value): return value.holdsDoubles
        default: return false
        }
    }

    /// `value` with the integers that stand where this type has Doubles made Doubles, as
    /// Swift types an integer literal from its context (`xs.append(1)` on a `[Double]`);
    /// anything else is left as it is.
    func convertingIntegers(_ value: Value) -> Value {
        switch (self, value) {
        case (.named("Double"), .int(let integer)): return .double(Double(integer))
        case (.optional(let wrapped), _): return wrapped.convertingIntegers(value)
        case (.array(let element), .array(let elements)) where element.holdsDoubles:
            return .array(elements.map(element.convertingIntegers))
        case (.dictionary(_, let valueType), .dictionary(var dictionary))
        where valueType.holdsDoubles:
            for key in dictionary.keys {
                if let entry = dictionary[key] {
                    dictionary[key] = valueType.convertingIntegers(entry)
                }
            }
            return .dictionary(dictionary)
        default: return value
        }
    }
}
