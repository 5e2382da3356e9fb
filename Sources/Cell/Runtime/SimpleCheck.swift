/// A parameter check of a builtin scalar type, as plain data (no reference to retain).
struct SimpleCheck {
    /// The scalar types checked by tag.
    enum Kind: UInt8 {
        case int, double, bool, string

        /// The kind of `check`, or nil when it needs the general check.
        init?(_ check: TypeCheck) {
            switch check {
            case .int: self = .int
            case .double: self = .double
            case .bool: self = .bool
            case .string: self = .string
            case .general: return nil
            }
        }

        /// Whether `value` (read in place) already has this type, so the check leaves it as
        /// it is.
        @inline(__always)
        func matches(_ value: UnsafeMutablePointer<Value>) -> Bool {
            switch self {
            case .int: if case .int = value.pointee { return true }
            case .double: if case .double = value.pointee { return true }
            case .bool: if case .bool = value.pointee { return true }
            case .string: if case .string = value.pointee { return true }
            }
            return false
        }
    }

    /// The parameter's position.
    let position: Int
    let kind: Kind

    /// `checks` as one word: four bits for each parameter from the first, 0 when it is not
    /// checked, else its kind's raw value plus one. 0 when there are none or one is on a
    /// parameter past the 16th.
    static func pack(_ checks: [SimpleCheck]) -> UInt64 {
        var packed: UInt64 = 0
        for check in checks {
            guard (0..<16).contains(check.position) else { return 0 }
            packed |= UInt64(check.kind.rawValue + 1) << UInt64(4 * check.position)
        }
        return packed
    }

    /// Whether the values from `slots` on pass the checks `packed` holds.
    @inline(__always)
    static func allMatch(_ packed: UInt64, _ slots: UnsafeMutablePointer<Value>) -> Bool {
        var bits = packed
        var slot = slots
        while bits != 0 {
            let nibble = UInt8(truncatingIfNeeded: bits & 0xF)
            if nibble != 0, let kind = Kind(rawValue: nibble &- 1), !kind.matches(slot) {
                return false
            }
            bits >>= 4
            slot += 1
        }
        return true
    }
}
