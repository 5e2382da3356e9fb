/// In-place changes of one element of an array or a dictionary held by a variable, for the
/// compiler's `xs[i] = v` and `d[key] = v` fast path (`Compiler.indexedAssignment`). Each
/// either makes the change, with the storage copied only when another value shares it, or
/// returns false and changes nothing, leaving the case (and its error) to the general path.
extension Value {
    /// Stores `newValue` at `self[key]`: in an array indexed by an Int in range, or as a
    /// dictionary's entry (added at the end when `key` is new). False, with nothing changed, for
    /// anything else and for nil (which removes an entry: the general path's business).
    ///
    /// ```swift
    /// var xs = Value.array([.int(1), .int(2)])
    /// xs.storeElement(.int(5), at: .int(1))  // true; xs is [1, 5]
    /// xs.storeElement(.int(5), at: .int(2))  // false: out of range
    /// ```
    mutating func storeElement(_ newValue: Value, at key: Value) -> Bool {
        // Each payload is bound with `if case` and `self` cleared before the change, so the
        // binding holds the only reference when nothing else does (no copy of the storage).
        if case .array(var elements) = self {
            guard case .int(let position) = key, position >= 0, position < elements.count else {
                return false
            }
            self = .void
            var old = newValue
            swap(&old, &elements[position])
            self = .array(elements)
            ValueTeardown.release(&old)
            return true
        }
        if !newValue.isNil, case .dictionary(var dictionary) = self {
            // A new key that doubles the table: the general path checks the memory budget.
            if dictionary.growthBytes(forNewKey: key) != nil { return false }
            self = .void
            var old = dictionary.updateValue(newValue, forKey: key) ?? .void
            self = .dictionary(dictionary)
            ValueTeardown.release(&old)
            return true
        }
        return false
    }

    /// Runs `change` on the element at `self[key]` (an array's element at an Int index in
    /// range, or a dictionary's existing entry) where it is, moved out meanwhile so that a
    /// collection nested there stays unique (`grid[i][j] = v`). Returns what `change` returns;
    /// false when there is no such element. `change` must leave the element as it was when it
    /// returns false.
    mutating func changeElement(at key: Value, _ change: (inout Value) -> Bool) -> Bool {
        if case .array(var elements) = self {
            guard case .int(let position) = key, position >= 0, position < elements.count else {
                return false
            }
            self = .void
            var element = Value.void
            swap(&element, &elements[position])
            let changed = change(&element)
            swap(&element, &elements[position])
            self = .array(elements)
            return changed
        }
        if case .dictionary(var dictionary) = self {
            self = .void
            let changed = dictionary.changeEntry(forKey: key, change)
            self = .dictionary(dictionary)
            return changed
        }
        return false
    }

    /// Replaces the Int at `self[key]` (an array's element at an Int index in range, or a
    /// dictionary's entry, or `fallback` for a new key of a dictionary) with
    /// `combine(element)`. False, with nothing changed, when there is no such Int, when
    /// `combine` gives nil (an overflow, for the general path to report), or for a `fallback`
    /// given to an array.
    mutating func combineIntElement(
        at key: Value, fallback: Value? = nil, _ combine: (Int) -> Value?
    ) -> Bool {
        if fallback == nil, case .array(var elements) = self {
            guard case .int(let position) = key, position >= 0, position < elements.count,
                case .int(let element) = elements[position], let result = combine(element)
            else { return false }
            self = .void
            elements[position] = result
            self = .array(elements)
            return true
        }
        if case .dictionary(var dictionary) = self {
            if fallback != nil, dictionary.growthBytes(forNewKey: key) != nil { return false }
            self = .void
            let changed = dictionary.combineInt(forKey: key, fallback: fallback, combine)
            self = .dictionary(dictionary)
            return changed
        }
        return false
    }
}
