/// The entries of a `DictionaryValue`: its keys and values in insertion order and the hash
/// table that finds them.
///
/// CPython's compact layout (R. Hettinger, "More compact dictionaries with faster iteration",
/// python-dev, December 2012): the keys and values live in arrays in insertion order, and the
/// hash table holds only their positions, with open addressing and linear probing, at most two
/// thirds full. Each key's hash is kept, so growing the table hashes nothing again. Keys hash by
/// `Value.tableHash`: a few multiplications for an Int instead of SipHash, which was most of
/// the cost of `d[i] = v`.
struct DictionaryEntries {
    /// The keys, in insertion order.
    private(set) var keys: [Value] = []
    /// The values, in the order of `keys` (changed through `setValue` and `exchangeValue`).
    private(set) var values: [Value] = []
    /// The `tableHash` of each key, in the order of `keys`.
    private var hashes: [Int] = []
    /// The hash table: per slot, a key's position plus one, or 0 for an empty slot. Its count is
    /// a power of two, or 0 before the first entry.
    private var slots: [Int] = []

    /// The position of `key` in the order, or nil when it is not here.
    func position(of key: Value) -> Int? { position(of: key, hash: key.tableHash) }

    /// The position of `key`, whose `tableHash` is `hash`, or nil.
    func position(of key: Value, hash: Int) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if hashes[entry - 1] == hash, keys[entry - 1].isSameKey(as: key) { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// Whether the next `append` doubles the table (and so the arrays soon after).
    var isFull: Bool { (keys.count + 1) * 3 > slots.count * 2 }

    /// About the bytes the next doubling allocates: the new table and room in the arrays for
    /// the entries it can hold.
    var growthBytes: Int {
        let capacity = Swift.max(8, slots.count * 2)
        let entryBytes = 2 * MemoryLayout<Value>.stride + MemoryLayout<Int>.stride
        return capacity * MemoryLayout<Int>.stride + capacity * 2 / 3 * entryBytes
    }

    /// Appends a key that is not here, with its value and hash.
    mutating func append(_ key: Value, _ value: Value, hash: Int) {
        if isFull {
            rebuildTable(capacity: Swift.max(8, slots.count * 2))
        }
        place(position: keys.count, hash: hash)
        keys.append(key)
        values.append(value)
        hashes.append(hash)
    }

    /// Sets the value for `key`: an existing entry keeps its position, a new one is appended.
    /// Returns the value it replaced, if any.
    mutating func update(_ value: Value, forKey key: Value) -> Value? {
        let hash = key.tableHash
        if let position = position(of: key, hash: hash) {
            var old = value
            exchangeValue(at: position, with: &old)
            return old
        }
        append(key, value, hash: hash)
        return nil
    }

    /// Replaces the value at `position` (an existing entry's).
    mutating func setValue(_ value: Value, at position: Int) { values[position] = value }

    /// Exchanges the value at `position` with `value`, so that an entry can be moved out (and
    /// back in) without copying a collection held there.
    mutating func exchangeValue(at position: Int, with value: inout Value) {
        swap(&value, &values[position])
    }

    /// Removes the entry at `position` and returns its value; later entries move up one place.
    /// The table shrinks when it falls below an eighth full, so that a dictionary emptied
    /// after growing large does not keep (and probe through) its old table.
    @discardableResult
    mutating func remove(at position: Int) -> Value {
        unplace(position: position)
        // Later entries move up one place: each is found by probing from its kept hash
        // (linear in the entries moved, as removing from the arrays is).
        let mask = slots.count - 1
        for later in (position + 1)..<Swift.max(position + 1, keys.count) {
            var slot = hashes[later] & mask
            while slots[slot] != later + 1 { slot = (slot + 1) & mask }
            slots[slot] = later
        }
        keys.remove(at: position)
        hashes.remove(at: position)
        let removed = values.remove(at: position)
        if slots.count > 8, keys.count * 8 < slots.count {
            rebuildTable(capacity: DictionaryEntries.capacity(for: keys.count))
        }
        return removed
    }

    /// The number of slots in the table (a power of two; 0 before the first entry).
    var tableCapacity: Int { slots.count }

    /// Empties the storage and returns its keys and values.
    mutating func takeContents() -> (keys: [Value], values: [Value]) {
        slots = []
        hashes = []
        let contents = (keys, values)
        keys = []
        values = []
        return contents
    }

    // MARK: - The table

    /// Files `position` (whose key hashes to `hash`) in the first empty slot of its probe
    /// sequence; the table has room.
    private mutating func place(position: Int, hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = position + 1
    }

    /// Takes `position` (still in the arrays) out of the table, moving later entries of its
    /// probe run back so that none is cut off from its home slot (deletion without tombstones,
    /// Knuth's Algorithm R, TAOCP vol. 3, 6.4).
    private mutating func unplace(position: Int) {
        let mask = slots.count - 1
        var hole = hashes[position] & mask
        while slots[hole] != position + 1 { hole = (hole + 1) & mask }
        slots[hole] = 0
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let home = hashes[slots[next] - 1] & mask
            // The entry at `next` may move into the hole unless its home lies cyclically in
            // (hole, next].
            let staysPut =
                hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if !staysPut {
                slots[hole] = slots[next]
                slots[next] = 0
                hole = next
            }
            next = (next + 1) & mask
        }
    }

    /// The smallest table (a power of two, at least 8) that holds `count` entries at most a
    /// third full, leaving room to grow before the next rebuild.
    private static func capacity(for count: Int) -> Int {
        var capacity = 8
        while capacity < count * 3 { capacity *= 2 }
        return capacity
    }

    /// Refiles every position in a table of `capacity` slots (a power of two).
    private mutating func rebuildTable(capacity: Int) {
        slots = Array(repeating: 0, count: capacity)
        for position in hashes.indices { place(position: position, hash: hashes[position]) }
    }
}

extension Value {
    /// The hash a dictionary files this key under, consistent with `==`: an Int (and a Double
    /// equal to one) is mixed by multiply-xorshift (MurmurHash3's 64-bit finalizer), anything
    /// else hashed by `hashValue`.
    var tableHash: Int {
        switch self {
        case .int(let value):
            return Value.mixed(value)
        case .double(let value):
            if let exact = Int(exactly: value) { return Value.mixed(exact) }
            return hashValue
        default:
            return hashValue
        }
    }

    private static func mixed(_ value: Int) -> Int {
        var bits = UInt64(truncatingIfNeeded: value)
        bits ^= bits >> 33
        bits &*= 0xff51_afd7_ed55_8ccd
        bits ^= bits >> 33
        bits &*= 0xc4ce_b9fe_1a85_ec53
        bits ^= bits >> 33
        return Int(truncatingIfNeeded: bits)
    }

    /// Whether this key equals `other`, with a shortcut for two Ints.
    @inline(__always)
    func isSameKey(as other: Value) -> Bool {
        if case .int(let a) = self, case .int(let b) = other { return a == b }
        return self == other
    }
}
