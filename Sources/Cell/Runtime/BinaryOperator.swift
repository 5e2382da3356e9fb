/// The infix operators the evaluator implements (assignment, `&&`, `||`, `??` and the ternary
/// are compiled as control flow instead).
enum BinaryOperator: String, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
    case identical = "==="
    case notIdentical = "!=="
    case bitAnd = "&"
    case bitOr = "|"
    case bitXor = "^"
    case shiftLeft = "<<"
    case shiftRight = ">>"
    case halfOpenRange = "..<"
    case closedRange = "..."

    /// The operator for a compound assignment such as `+=`.
    init?(compoundAssignment op: String) {
        guard op.count >= 2, op.hasSuffix("=") else { return nil }
        self.init(rawValue: String(op.dropLast()))
    }

    var isComparison: Bool {
        switch self {
        case .less, .greater, .lessOrEqual, .greaterOrEqual: return true
        default: return false
        }
    }

    /// The error text for operands this operator does not accept.
    func mismatch(_ lhs: Value, _ rhs: Value) -> CellError {
        let left = lhs.typeName
        let right = rhs.typeName
        switch self {
        case .add: return .typeMismatch("cannot add values of type \(left) and \(right)")
        case .subtract:
            return .typeMismatch(
                "cannot subtract a value of type \(right) from a value of type \(left)")
        case .multiply: return .typeMismatch("cannot multiply values of type \(left) and \(right)")
        case .divide:
            return .typeMismatch(
                "cannot divide a value of type \(left) by a value of type \(right)")
        case .remainder:
            return .typeMismatch(
                "cannot take the remainder of a value of type \(left) by a value of type \(right)")
        case .equal, .notEqual, .less, .greater, .lessOrEqual, .greaterOrEqual:
            return .typeMismatch(
                "cannot compare values of type \(left) and \(right) with '\(rawValue)'")
        case .halfOpenRange, .closedRange:
            return .typeMismatch(
                "cannot form a range from values of type \(left) and \(right); bounds must be "
                    + "numbers")
        default:
            return .typeMismatch(
                "binary operator '\(rawValue)' cannot be applied to values of type \(left) and "
                    + right)
        }
    }
}
