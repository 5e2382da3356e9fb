/// A dictionary that keeps its keys in insertion order, so that printing it is deterministic
/// (Swift's own dictionaries are unordered; Python's keep insertion order, which notebooks need).
///
/// ```swift
/// var scores = DictionaryValue()
/// scores[.string("loss")] = .double(0.3)
/// scores.keys  // [.string("loss")]
/// ```
public struct DictionaryValue {
    /// The keys, in insertion order.
    public private(set) var keys: [Value] = []
    /// The values, in the order of `keys`.
    public private(set) var values: [Value] = []
    private var positions: [Value: Int] = [:]

    /// An empty dictionary.
    public init() {}

    /// A dictionary from key-value pairs; a repeated key keeps its last value.
    public init(_ pairs: [(Value, Value)]) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The number of entries.
    public var count: Int { keys.count }

    /// The value for `key`; assigning nil removes the entry.
    public subscript(key: Value) -> Value? {
        get {
            guard let position = positions[key] else { return nil }
            return values[position]
        }
        set {
            if let newValue {
                if let position = positions[key] {
                    values[position] = newValue
                } else {
                    positions[key] = keys.count
                    keys.append(key)
                    values.append(newValue)
                }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Removes the entry for `key` and returns its value, if there was one.
    @discardableResult
    public mutating func removeValue(forKey key: Value) -> Value? {
        guard let position = positions.removeValue(forKey: key) else { return nil }
        keys.remove(at: position)
        let removed = values.remove(at: position)
        for later in position..<keys.count { positions[keys[later]] = later }
        return removed
    }

    /// The entries as (key, value) pairs, in order.
    public var pairs: [(key: Value, value: Value)] {
        Array(zip(keys, values)).map { (key: $0.0, value: $0.1) }
    }
}

// MARK: - Structural equality and hashing

extension Value: Hashable {
    /// Structural equality: numbers compare by value across Int and Double, collections
    /// element by element, references and functions by identity.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.void, .void), (.nilValue, .nilValue): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)): return Double(a) == b && Double(exactly: a) != nil
        case (.double(let a), .int(let b)): return a == Double(b) && Double(exactly: b) != nil
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.dictionary(let a), .dictionary(let b)):
            return a.count == b.count && a.keys.allSatisfy { b[$0] != nil && a[$0] == b[$0] }
        case (.tuple(let a), .tuple(let b)): return a.elements == b.elements
        case (.range(let a), .range(let b)):
            return a.lower == b.lower && a.upper == b.upper && a.isClosed == b.isClosed
                && a.step == b.step
        case (.function(let a), .function(let b)): return a === b
        case (.type(let a), .type(let b)): return a == b
        case (.structure(let a), .structure(let b)):
            return a === b || (a.type === b.type && a.fields == b.fields)
        case (.host(let a), .host(let b)): return a === b || a.isSameReference(as: b)
        default: return false
        }
    }

    /// Hashes consistently with `==`: an integral Double hashes like the equal Int.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .void: hasher.combine(0)
        case .nilValue: hasher.combine(1)
        case .bool(let value): hasher.combine(value)
        case .int(let value): hasher.combine(value)
        case .double(let value):
            if let exact = Int(exactly: value) {
                hasher.combine(exact)
            } else {
                hasher.combine(value)
            }
        case .string(let value): hasher.combine(value)
        case .array(let elements): hasher.combine(elements)
        case .dictionary(let dictionary): hasher.combine(dictionary.count)
        case .tuple(let tuple): hasher.combine(tuple.elements)
        case .range(let range):
            hasher.combine(range.lower)
            hasher.combine(range.upper)
        case .function(let function): hasher.combine(ObjectIdentifier(function))
        case .type(let type): hasher.combine(type.name)
        case .structure(let instance): hasher.combine(instance.fields)
        case .host(let object): hasher.combine(object.identityForHashing)
        }
    }
}
