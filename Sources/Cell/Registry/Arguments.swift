/// The arguments of a call into a registered function, method, initializer or subscript,
/// already checked against its parameters (labels, count, declared types, defaults filled in,
/// variadic arguments and builder closures collected into arrays), plus the session. Bindings
/// read them by handle (`Param`); reading by position is internal to the language.
///
/// ```swift
/// let x = Param<Double>.positional("x")
/// let factor = Param<Double>.labelled("by", default: 2)
/// registry.function("scale", doc: "…", parameters: [x, factor]) { arguments in
///     .double(try arguments[x] * arguments[factor])
/// }
/// ```
public struct Arguments {
    /// The bound values, one per parameter, in parameter order.
    public let values: [Value]
    /// The session the call runs in: call back into cell code, check for interrupts, display.
    public let session: Session
    let signature: Signature
    let location: SourceLocation?

    init(values: [Value], session: Session, signature: Signature, location: SourceLocation?) {
        self.values = values
        self.session = session
        self.signature = signature
        self.location = location
    }

    /// The number of parameters.
    public var count: Int { values.count }

    /// The value bound to parameter `index` (`.void` past the end).
    subscript(index: Int) -> Value {
        index >= 0 && index < values.count ? values[index] : .void
    }

    /// Parameter `index` as an Int.
    ///
    /// - Throws: `CellError.typeMismatch` naming the parameter when it is not an Int.
    func int(_ index: Int) throws -> Int {
        guard case .int(let value) = self[index] else { throw mismatch(index, expected: "Int") }
        return value
    }

    /// Parameter `index` as a Double; an Int is converted.
    func double(_ index: Int) throws -> Double {
        switch self[index] {
        case .double(let value): return value
        case .int(let value): return Double(value)
        default: throw mismatch(index, expected: "Double")
        }
    }

    /// Parameter `index` as a Bool.
    func bool(_ index: Int) throws -> Bool {
        guard case .bool(let value) = self[index] else { throw mismatch(index, expected: "Bool") }
        return value
    }

    /// Parameter `index` as a String.
    func string(_ index: Int) throws -> String {
        guard case .string(let value) = self[index] else {
            throw mismatch(index, expected: "String")
        }
        return value
    }

    /// Parameter `index` as an array of values.
    func array(_ index: Int) throws -> [Value] {
        guard case .array(let value) = self[index] else { throw mismatch(index, expected: "Array") }
        return value
    }

    /// Parameter `index` as an array of Doubles (Ints converted).
    func doubles(_ index: Int) throws -> [Double] {
        var result: [Double] = []
        for element in try array(index) {
            switch element {
            case .double(let value): result.append(value)
            case .int(let value): result.append(Double(value))
            default: throw mismatch(index, expected: "[Double]")
            }
        }
        return result
    }

    /// Parameter `index` as an array of Ints.
    func ints(_ index: Int) throws -> [Int] {
        var result: [Int] = []
        for element in try array(index) {
            guard case .int(let value) = element else { throw mismatch(index, expected: "[Int]") }
            result.append(value)
        }
        return result
    }

    /// Parameter `index`, or nil when it is `nil`.
    func optional(_ index: Int) -> Value? {
        let value = self[index]
        return value.isNil ? nil : value
    }

    /// Parameter `index` as an object of the registered Swift type `T`.
    func host<T>(_ type: T.Type, _ index: Int) throws -> T {
        guard let object = self[index].hostPayload(as: T.self) else {
            throw mismatch(index, expected: session.registry.typeName(for: T.self))
        }
        return object
    }

    /// Calls parameter `index` (a closure, function, or anything callable) with `arguments`.
    func call(_ index: Int, with arguments: [Value]) throws -> Value {
        try session.call(self[index], arguments)
    }

    /// Wraps a Swift object of a registered type as a value.
    public func wrap<T>(_ object: T) throws -> Value {
        try session.wrap(object)
    }

    /// The error for parameter `index` not being `expected`.
    func mismatch(_ index: Int, expected: String) -> CellError {
        let name =
            index >= 0 && index < signature.parameters.count
            ? signature.parameters[index].name : "#\(index + 1)"
        return .typeMismatch(
            "argument '\(name)' of \(signature.selector) must be \(expected), not "
                + Arguments.describe(self[index]))
    }

    /// A value's type as a mismatch names it; an array by its elements' types ("an array of
    /// Int and String"), since the array alone is often what was expected.
    static func describe(_ value: Value) -> String {
        guard case .array(let elements) = value else { return value.typeName }
        var names: [String] = []
        for element in elements where !names.contains(element.typeName) {
            names.append(element.typeName)
            if names.count == 3 { break }
        }
        if names.isEmpty { return "an empty array" }
        return "an array of " + names.joined(separator: " and ")
    }
}

extension Value {
    /// The payload of a host object when it is a `T`.
    public func hostPayload<T>(as type: T.Type) -> T? {
        guard case .host(let object) = self else { return nil }
        return object.payload as? T
    }
}
