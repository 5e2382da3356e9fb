import Memory

/// A dictionary that keeps its keys in insertion order, so that printing it is deterministic
/// (Swift's own dictionaries are unordered; Python's keep insertion order, which notebooks need).
///
/// ```swift
/// var scores = DictionaryValue()
/// scores[.string("loss")] = .double(0.3)
/// scores.keys  // [.string("loss")]
/// ```
public struct DictionaryValue {
    /// The entries, shared with copies of this dictionary until one of them changes (copy
    /// on write).
    private var storage = Storage()

    /// A reference to the entries, so that copying a dictionary (and a `Value` holding one)
    /// copies one reference.
    ///
    /// `entries` is exempt from Swift's run-time exclusivity checks, which cost more than the
    /// insertion itself (two runtime calls per access). They cannot fire here: each access is
    /// one call into `DictionaryEntries`, which never runs cell code, and `modifyEntry` runs its
    /// body with no access open (the entry is moved out first).
    private final class Storage {
        @exclusivity(unchecked) var entries = DictionaryEntries()

        init() {}

        init(_ entries: DictionaryEntries) { self.entries = entries }
    }

    /// An empty dictionary.
    public init() {}

    /// A dictionary from key-value pairs; a repeated key keeps its last value.
    public init(_ pairs: [(Value, Value)]) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The keys, in insertion order.
    public var keys: [Value] { storage.entries.keys }

    /// The values, in the order of `keys`.
    public var values: [Value] { storage.entries.values }

    /// The number of entries.
    public var count: Int { storage.entries.keys.count }

    /// The value for `key`; assigning nil removes the entry.
    public subscript(key: Value) -> Value? {
        get {
            guard let position = storage.entries.position(of: key) else { return nil }
            return storage.entries.values[position]
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// The bytes adding `key` would allocate when that doubles the table (checked against the
    /// session's memory budget first), or nil when `key` is here or there is room for it.
    func growthBytes(forNewKey key: Value) -> Int? {
        guard storage.entries.isFull, storage.entries.position(of: key) == nil else { return nil }
        return storage.entries.growthBytes
    }

    /// Sets the value for `key`, as `updateValue(_:forKey:)` does, after checking a new key
    /// that doubles the table against the memory budget (as `d[key] = value` does): beyond
    /// it, a MemoryError that changes nothing. Returns the value it replaced, if any.
    @discardableResult
    mutating func store(_ value: Value, forKey key: Value, budget: MemoryBudget) throws(CellError)
        -> Value?
    {
        if let bytes = growthBytes(forNewKey: key) { try budget.checkGrowth(bytes) }
        return updateValue(value, forKey: key)
    }

    /// Removes the entry for `key` and returns its value, if there was one.
    @discardableResult
    public mutating func removeValue(forKey key: Value) -> Value? {
        guard let position = storage.entries.position(of: key) else { return nil }
        makeUnique()
        return storage.entries.remove(at: position)
    }

    /// Sets the value for `key`, hashing it once: an existing entry keeps its place, a new one
    /// is appended. Returns the value it replaced, if any.
    ///
    /// ```swift
    /// var scores = DictionaryValue()
    /// scores.updateValue(.int(1), forKey: .string("a"))  // nil
    /// scores.updateValue(.int(2), forKey: .string("a"))  // .int(1)
    /// ```
    @discardableResult
    mutating func updateValue(_ value: Value, forKey key: Value) -> Value? {
        makeUnique()
        return storage.entries.update(value, forKey: key)
    }

    /// Runs `change` on the entry for `key`, moved out meanwhile (so that a collection held
    /// there stays unique); returns what `change` returns, or false when there is no entry.
    mutating func changeEntry(forKey key: Value, _ change: (inout Value) -> Bool) -> Bool {
        guard let position = storage.entries.position(of: key, hash: key.tableHash) else {
            return false
        }
        makeUnique()
        var entry = Value.void
        storage.entries.exchangeValue(at: position, with: &entry)
        let changed = change(&entry)
        storage.entries.exchangeValue(at: position, with: &entry)
        return changed
    }

    /// `d[key] op= n` and `d[key, default: fallback] op= n` on Ints, hashing the key once: the
    /// entry, or `fallback` for a new key, becomes `combine(entry)` (a new key is appended).
    /// False, with nothing changed, when that is not an Int or `combine` gives nil.
    ///
    /// ```swift
    /// var counts = DictionaryValue()
    /// counts.combineInt(forKey: .string("a"), fallback: .int(0)) { .int($0 + 1) }  // true
    /// ```
    mutating func combineInt(
        forKey key: Value, fallback: Value?, _ combine: (Int) -> Value?
    ) -> Bool {
        let hash = key.tableHash
        if let position = storage.entries.position(of: key, hash: hash) {
            guard case .int(let entry) = storage.entries.values[position],
                let result = combine(entry)
            else { return false }
            makeUnique()
            storage.entries.setValue(result, at: position)
            return true
        }
        guard case .int(let entry)? = fallback, let result = combine(entry) else { return false }
        makeUnique()
        storage.entries.append(key, result, hash: hash)
        return true
    }

    /// Changes the value for `key` in place through `body`, looking the key up once: the entry
    /// starts as the current value, else `fallback`, else nil; it keeps its place in the order
    /// when it existed, is appended when it is new, and is removed when `body` leaves nil. When
    /// `body` throws, what it left in an existing entry is still written back (`d[k]![9] = 0` out
    /// of range keeps `d[k]`), and a new key is not added (a failed `d[k, default: 0] += x`
    /// leaves no `k`).
    mutating func modifyEntry<BodyError: Error>(
        forKey key: Value, fallback: Value?, _ body: (inout Value) throws(BodyError) -> Void
    ) throws(BodyError) {
        makeUnique()
        let storage = self.storage
        let hash = key.tableHash
        if let position = storage.entries.position(of: key, hash: hash) {
            // Moved out, so that changing a nested collection in place does not copy it.
            var entry = Value.void
            storage.entries.exchangeValue(at: position, with: &entry)
            defer {
                if entry.isNil {
                    storage.entries.remove(at: position)
                } else {
                    storage.entries.setValue(entry, at: position)
                }
            }
            try body(&entry)
        } else {
            var entry = fallback ?? .nilValue
            // Only a change that succeeds adds the key: a failed statement leaves the
            // dictionary as it was.
            try body(&entry)
            if !entry.isNil { storage.entries.append(key, entry, hash: hash) }
        }
    }

    /// Empties the dictionary and returns its keys and values, when nothing else shares them
    /// (else returns nothing: the other holders keep them alive).
    mutating func takeContents() -> (keys: [Value], values: [Value]) {
        guard isKnownUniquelyReferenced(&storage) else { return ([], []) }
        return storage.entries.takeContents()
    }

    /// The entries as (key, value) pairs, in order.
    public var pairs: [(key: Value, value: Value)] {
        Array(zip(keys, values)).map { (key: $0.0, value: $0.1) }
    }

    /// Gives this dictionary storage of its own before a change, copying the shared one.
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.entries) }
    }
}

// MARK: - Structural equality and hashing

// Both walk nested values with a work list instead of recursion, so that comparing or hashing
// a value nested millions of levels deep cannot overflow the stack.

extension Value: Hashable {
    /// Structural equality: numbers compare by value across Int and Double, collections
    /// element by element, references and functions by identity.
    public static func == (lhs: Value, rhs: Value) -> Bool {
        var pending: [(Value, Value)] = []
        guard shallowEqual(lhs, rhs, nested: &pending) else { return false }
        while let (left, right) = pending.popLast() {
            guard shallowEqual(left, right, nested: &pending) else { return false }
        }
        return true
    }

    /// Compares `lhs` and `rhs` one level deep: false when they differ there; pairs of nested
    /// values still to compare are appended to `nested`.
    private static func shallowEqual(
        _ lhs: Value, _ rhs: Value, nested: inout [(Value, Value)]
    ) -> Bool {
        switch (lhs, rhs) {
        case (.void, .void), (.nilValue, .nilValue): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)): return Double(a) == b && Double(exactly: a) != nil
        case (.double(let a), .int(let b)): return a == Double(b) && Double(exactly: b) != nil
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return pairUp(a, b, into: &nested)
        case (.dictionary(let a), .dictionary(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in zip(a.keys, a.values) {
                guard let other = b[key] else { return false }
                nested.append((value, other))
            }
            return true
        case (.tuple(let a), .tuple(let b)): return pairUp(a.elements, b.elements, into: &nested)
        case (.range(let a), .range(let b)):
            return a.lower == b.lower && a.upper == b.upper && a.isClosed == b.isClosed
                && a.step == b.step
        case (.function(let a), .function(let b)): return a === b
        case (.type(let a), .type(let b)): return a == b
        case (.structure(let a), .structure(let b)):
            if a === b { return true }
            return a.type === b.type && pairUp(a.fields, b.fields, into: &nested)
        case (.host(let a), .host(let b)): return a === b || a.isSameReference(as: b)
        default: return false
        }
    }

    /// Appends the element pairs of two collections of equal length (false when the lengths
    /// differ). Collections sharing one storage are equal without a look inside, as Swift's
    /// own arrays are.
    private static func pairUp(_ a: [Value], _ b: [Value], into nested: inout [(Value, Value)])
        -> Bool
    {
        guard a.count == b.count else { return false }
        let shared = a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in left.baseAddress == right.baseAddress }
        }
        if shared { return true }
        for (left, right) in zip(a, b) {
            if left.mayHoldValues || right.mayHoldValues {
                nested.append((left, right))
            } else if !shallowEqual(left, right, nested: &nested) {
                return false
            }
        }
        return true
    }

    /// Hashes consistently with `==`: an integral Double hashes like the equal Int.
    public func hash(into hasher: inout Hasher) {
        var pending: [Value] = []
        var current = self
        while true {
            switch current {
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
            case .array(let elements):
                hasher.combine(elements.count)
                pending.append(contentsOf: elements.reversed())
            case .dictionary(let dictionary): hasher.combine(dictionary.count)
            case .tuple(let tuple):
                hasher.combine(tuple.elements.count)
                pending.append(contentsOf: tuple.elements.reversed())
            case .range(let range):
                hasher.combine(range.lower)
                hasher.combine(range.upper)
            case .function(let function): hasher.combine(ObjectIdentifier(function))
            case .type(let type): hasher.combine(type.name)
            case .structure(let instance):
                hasher.combine(instance.count)
                pending.append(contentsOf: instance.fields.reversed())
            case .host(let object): hasher.combine(object.identityForHashing)
            }
            guard let next = pending.popLast() else { return }
            current = next
        }
    }
}
