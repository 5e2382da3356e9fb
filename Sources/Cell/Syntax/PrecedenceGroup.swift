/// Swift's operator precedence groups, lowest first.
enum PrecedenceGroup: Int, Comparable, Sendable {
    case assignment = 1
    case ternary
    case disjunction
    case conjunction
    case comparison
    case nilCoalescing
    case casting
    case rangeFormation
    case addition
    case multiplication
    case shift

    static func < (lhs: PrecedenceGroup, rhs: PrecedenceGroup) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Assignment, ternary and nil-coalescing group to the right: `a ?? b ?? c` is `a ?? (b ?? c)`.
    var isRightAssociative: Bool {
        self == .assignment || self == .ternary || self == .nilCoalescing
    }

    /// Comparison and range formation do not chain: `a < b < c` is an error.
    var isNonAssociative: Bool { self == .comparison || self == .rangeFormation }

    /// The group of an infix operator, or nil if `op` is not one.
    static func of(_ op: String) -> PrecedenceGroup? {
        switch op {
        case "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=": return .assignment
        case "?": return .ternary
        case "||": return .disjunction
        case "&&": return .conjunction
        case "==", "!=", "<", ">", "<=", ">=", "===", "!==", "~=": return .comparison
        case "??": return .nilCoalescing
        case "...", "..<": return .rangeFormation
        case "+", "-", "|", "^": return .addition
        case "*", "/", "%", "&": return .multiplication
        case "<<", ">>": return .shift
        default: return nil
        }
    }
}
