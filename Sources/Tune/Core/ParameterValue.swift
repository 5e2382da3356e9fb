/// One hyperparameter's value: a number, a string or a boolean.
///
/// ```swift
/// study.best.parameters["learningRate"]?.doubleValue   // 0.0031
/// study.best.parameters["activation"]                   // "relu"
/// ```
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    /// A floating-point value.
    case double(Double)
    /// An integer value.
    case int(Int)
    /// A string option.
    case string(String)
    /// A boolean option.
    case bool(Bool)

    /// The value as a Double, for numbers (integers convert exactly up to 2^53).
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: return nil
        }
    }

    /// The value as an Int, for integers and integral doubles.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value):
            guard value.rounded() == value else { return nil }
            return Int(exactly: value)
        default: return nil
        }
    }

    /// The string, for string options.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, for boolean options.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value as written in a table: `0.001`, `64`, `relu`, `true`.
    public var description: String {
        switch self {
        case .double(let value): return "\(value)"
        case .int(let value): return "\(value)"
        case .string(let value): return value
        case .bool(let value): return "\(value)"
        }
    }
}

extension ParameterValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    /// A double option.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// An integer option.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A string option.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A boolean option.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
