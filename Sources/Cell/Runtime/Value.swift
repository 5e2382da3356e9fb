/// A value of the cell language.
///
/// Int, Double and Bool carry no reference counting, so arithmetic loops do not touch the heap.
/// Arrays, dictionaries, tuples, strings and user structs are values with copy-on-write storage;
/// host objects are values or references as their registered type says.
///
/// ```swift
/// let value: Value = .array([.int(1), .double(2.5)])
/// value.typeName  // "[Any]"
/// ```
public enum Value {
    /// `()`, what statements and functions without a result produce.
    case void
    /// `nil`: an optional without a value. Optionals are not wrapped: a present optional is
    /// just its value.
    case nilValue
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([Value])
    case dictionary(DictionaryValue)
    case tuple(TupleValue)
    case range(RangeValue)
    /// A user function or closure, a registry function, a bound method or an implicit member.
    case function(Callable)
    /// A type used as a value: `Int`, `Sequential`, a user struct.
    case type(TypeValue)
    /// An instance of a user struct.
    case structure(StructInstance)
    /// An object of a library type bound through the registry.
    case host(HostObject)
}

/// The elements of a tuple and their optional labels.
public struct TupleValue {
    /// The elements, in order.
    public var elements: [Value]
    /// Labels of the elements (`(loss: 1, accuracy: 2)`), or nil when no element has one.
    public var labels: [String?]?

    /// Creates a tuple.
    public init(_ elements: [Value], labels: [String?]? = nil) {
        self.elements = elements
        self.labels = labels.flatMap { $0.allSatisfy { $0 == nil } ? nil : $0 }
    }

    /// The element labelled `label`, if any.
    public func element(labelled label: String) -> Value? {
        guard let labels, let index = labels.firstIndex(of: label) else { return nil }
        return elements[index]
    }
}

/// A range `a..<b`, `a...b`, one-sided `a...` / `..<b`, or a `stride`.
public final class RangeValue {
    /// The lower bound (Int or Double), nil for `..<b` and `...b`.
    public let lower: Value?
    /// The upper bound (Int or Double), nil for `a...`.
    public let upper: Value?
    /// Whether `upper` is included (`...` and `stride(from:through:by:)`).
    public let isClosed: Bool
    /// The step of a `stride`, nil for ranges.
    public let step: Value?

    /// Creates a range or stride.
    public init(lower: Value?, upper: Value?, isClosed: Bool, step: Value? = nil) {
        self.lower = lower
        self.upper = upper
        self.isClosed = isClosed
        self.step = step
    }

    /// The integer bounds as a half-open Swift range, when both bounds are Int and there is
    /// no step (nil for an empty closed range whose upper bound is Int.max, too).
    package var intBounds: Range<Int>? {
        guard step == nil, case .int(let low)? = lower, case .int(let high)? = upper else {
            return nil
        }
        if isClosed {
            guard high < Int.max else { return nil }
            return low <= high + 1 ? low..<(high + 1) : nil
        }
        return low <= high ? low..<high : nil
    }
}

extension Value {
    /// Wraps a Swift array of values.
    public init(_ elements: [Value]) { self = .array(elements) }

    /// A Swift optional: nil becomes `.nilValue`.
    public init(optional value: Value?) { self = value ?? .nilValue }

    /// True for `.nilValue`.
    public var isNil: Bool {
        if case .nilValue = self { return true }
        return false
    }

    /// True for `.void`.
    package var isVoid: Bool {
        if case .void = self { return true }
        return false
    }
}
