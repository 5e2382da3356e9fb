/// How a parameter's value is typed and read: the cell-language type signatures show and calls
/// are checked against before a binding runs, and the conversion of the checked value to a Swift
/// type.
///
/// Swift types that always read the same way conform to `ArgumentType` and give their kind
/// there (`Int`, `Double`, `String`, `[Int]`, `Dataset?`); a reading that is a choice
/// (a tensor from numbers or nested arrays, a shape from one Int or an array) is a named kind:
///
/// ```swift
/// extension ArgumentKind where T == [Int] {
///     static let shape = ArgumentKind(type: nil, expected: "[Int]") { value, _ in … }
/// }
/// let size = Param<[Int]>.labelled("size", as: .shape)
/// ```
public struct ArgumentKind<T> {
    /// The type as Swift writes it, checked before the binding runs; nil for any value (the
    /// reading then checks).
    public let cellType: String?
    /// What a mismatch says was expected (`Int`, `an optimizer such as Adam()`).
    public let expected: String
    /// Converts a bound value; nil when it is not a `T`.
    public let read: (Value, Session) throws -> T?

    /// A kind.
    ///
    /// - Parameters:
    ///   - type: the cell-language type as Swift writes it, nil for any value.
    ///   - expected: what a mismatch says was expected; the type when nil.
    ///   - read: converts a bound value, returning nil when it is not a `T`.
    public init(
        type: String?, expected: String? = nil,
        read: @escaping (Value, Session) throws -> T?
    ) {
        self.cellType = type
        self.expected = expected ?? type ?? "Any"
        self.read = read
    }

    /// The same reading under another checked type or message.
    public func described(type: String?, expected: String? = nil) -> ArgumentKind {
        ArgumentKind(type: type, expected: expected ?? self.expected, read: read)
    }

    /// The same check, with the read value transformed.
    public func mapped<U>(_ transform: @escaping (T) throws -> U) -> ArgumentKind<U> {
        let read = self.read
        return ArgumentKind<U>(type: cellType, expected: expected) { value, session in
            try read(value, session).map(transform)
        }
    }

    /// The reading of optional values: `nil` reads as nil, anything else as this kind.
    public var optional: ArgumentKind<T?> {
        let read = self.read
        return ArgumentKind<T?>(
            type: cellType.map { Self.optionalType($0) }, expected: expected
        ) { value, session in
            if value.isNil { return .some(nil) }
            return try read(value, session).map { .some($0) }
        }
    }

    /// The reading of arrays whose every element reads as this kind.
    public var array: ArgumentKind<[T]> {
        let read = self.read
        return ArgumentKind<[T]>(
            type: "[\(cellType ?? "Any")]", expected: "[\(cellType ?? expected)]"
        ) { value, session in
            guard case .array(let elements) = value else { return nil }
            var result: [T] = []
            result.reserveCapacity(elements.count)
            for element in elements {
                guard let converted = try read(element, session) else { return nil }
                result.append(converted)
            }
            return result
        }
    }

    /// `Tensor?`, `((Tensor) -> Tensor)?`.
    private static func optionalType(_ type: String) -> String {
        type.hasPrefix("(") && type.contains("->") ? "(\(type))?" : type + "?"
    }
}

/// A Swift type a binding's parameter can be declared as: `Param<Int>`, `Param<Dataset?>`.
///
/// The language's own types conform here; CellLibrary conforms library types through
/// `HostArgument` (one line each: the name cells write).
public protocol ArgumentType {
    /// The cell-language type and how a value reads as this type.
    static var argumentKind: ArgumentKind<Self> { get }
}

/// An argument type whose values can be written as a parameter's default.
public protocol DefaultableArgument: ArgumentType {
    /// The value as the cell language holds it.
    var argumentValue: Value { get }
}

/// A registered library type read from its host object: conforming takes one line, the name
/// cells write, which must be the name the type is registered under.
///
/// ```swift
/// extension Dataset: HostArgument { public static let cellTypeName = "Dataset" }
/// ```
public protocol HostArgument: ArgumentType {
    /// The registered name of the type.
    static var cellTypeName: String { get }
}

extension HostArgument {
    /// The host object of a value of the registered type.
    public static var argumentKind: ArgumentKind<Self> {
        ArgumentKind(type: cellTypeName) { value, _ in value.hostPayload(as: Self.self) }
    }
}

// MARK: - The language's own types

extension Int: DefaultableArgument {
    /// `Int`.
    public static var argumentKind: ArgumentKind<Int> {
        ArgumentKind(type: "Int") { value, _ in
            if case .int(let integer) = value { return integer }
            return nil
        }
    }

    /// `.int(self)`.
    public var argumentValue: Value { .int(self) }
}

extension Double: DefaultableArgument {
    /// `Double`; an Int converts.
    public static var argumentKind: ArgumentKind<Double> {
        ArgumentKind(type: "Double") { value, _ in
            switch value {
            case .double(let number): return number
            case .int(let integer): return Double(integer)
            default: return nil
            }
        }
    }

    /// `.double(self)`.
    public var argumentValue: Value { .double(self) }
}

extension Float: DefaultableArgument {
    /// `Double` in the language, read as a Float32; an Int converts.
    public static var argumentKind: ArgumentKind<Float> {
        ArgumentKind(type: "Double") { value, _ in
            switch value {
            case .double(let number): return Float(number)
            case .int(let integer): return Float(integer)
            default: return nil
            }
        }
    }

    /// The Double the Float is written as: `0.9`, not `0.8999999761581421`.
    public var argumentValue: Value { .double(Double(description) ?? Double(self)) }
}

extension Bool: DefaultableArgument {
    /// `Bool`.
    public static var argumentKind: ArgumentKind<Bool> {
        ArgumentKind(type: "Bool") { value, _ in
            if case .bool(let flag) = value { return flag }
            return nil
        }
    }

    /// `.bool(self)`.
    public var argumentValue: Value { .bool(self) }
}

extension String: DefaultableArgument {
    /// `String`.
    public static var argumentKind: ArgumentKind<String> {
        ArgumentKind(type: "String") { value, _ in
            if case .string(let text) = value { return text }
            return nil
        }
    }

    /// `.string(self)`.
    public var argumentValue: Value { .string(self) }
}

extension Value: DefaultableArgument {
    /// Any value, unconverted (the binding reads it).
    public static var argumentKind: ArgumentKind<Value> {
        ArgumentKind(type: nil) { value, _ in value }
    }

    /// The value itself.
    public var argumentValue: Value { self }
}

extension Optional: ArgumentType where Wrapped: ArgumentType {
    /// `T?`: `nil`, or a `T`.
    public static var argumentKind: ArgumentKind<Wrapped?> { Wrapped.argumentKind.optional }
}

extension Optional: DefaultableArgument where Wrapped: DefaultableArgument {
    /// `nil`, or the wrapped value.
    public var argumentValue: Value { self?.argumentValue ?? .nilValue }
}

extension Array: ArgumentType where Element: ArgumentType {
    /// `[T]`: an array whose every element is a `T`.
    public static var argumentKind: ArgumentKind<[Element]> { Element.argumentKind.array }
}

extension Array: DefaultableArgument where Element: DefaultableArgument {
    /// An array of the elements' values.
    public var argumentValue: Value { .array(map(\.argumentValue)) }
}
