import Memory

/// The language's own operators on numbers, strings, Booleans, arrays, tuples and ranges.
/// Int arithmetic is checked: overflow and division by zero are errors, never traps. Int and
/// Double mix by promoting the Int.
enum Arithmetic {
    /// The result, or nil when the operands are not the language's own (a library operator
    /// may handle them).
    static func apply(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value, budget: MemoryBudget)
        throws(CellError) -> Value?
    {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return try integers(op, a, b)
        case (.double(let a), .double(let b)): return try doubles(op, a, b)
        case (.int(let a), .double(let b)): return try doubles(op, Double(a), b)
        case (.double(let a), .int(let b)): return try doubles(op, a, Double(b))
        case (.string(let a), .string(let b)): return try strings(op, a, b, budget: budget)
        case (.bool(let a), .bool(let b)):
            switch op {
            case .equal: return .bool(a == b)
            case .notEqual: return .bool(a != b)
            default: throw op.mismatch(lhs, rhs)
            }
        case (.array(let a), .array(let b)):
            switch op {
            case .add:
                try budget.checkGrowth(count: a.count + b.count, stride: MemoryLayout<Value>.stride)
                return .array(a + b)
            case .equal: return .bool(a == b)
            case .notEqual: return .bool(a != b)
            default: throw op.mismatch(lhs, rhs)
            }
        case (.tuple(let a), .tuple(let b)):
            return try tuples(op, a.elements, b.elements, lhs, rhs, budget: budget)
        case (.nilValue, _), (_, .nilValue):
            switch op {
            case .equal, .identical: return .bool(lhs.isNil && rhs.isNil)
            case .notEqual, .notIdentical: return .bool(!(lhs.isNil && rhs.isNil))
            default:
                throw .unexpectedNil(
                    "cannot apply '\(op.rawValue)' to nil; unwrap the optional first "
                        + "('if let', '??' or '!')")
            }
        case (.dictionary, .dictionary), (.range, .range), (.void, .void):
            switch op {
            case .equal: return .bool(lhs == rhs)
            case .notEqual: return .bool(lhs != rhs)
            default: throw op.mismatch(lhs, rhs)
            }
        case (.int, _), (.double, _), (.string, _), (.bool, _):
            if case .host = rhs { return nil }
            if case .function(is ImplicitMember) = rhs { return nil }
            throw op.mismatch(lhs, rhs)
        default:
            return nil
        }
    }

    private static func integers(_ op: BinaryOperator, _ a: Int, _ b: Int) throws(CellError)
        -> Value
    {
        switch op {
        case .add: return .int(try checked(a.addingReportingOverflow(b), a, "+", b))
        case .subtract: return .int(try checked(a.subtractingReportingOverflow(b), a, "-", b))
        case .multiply: return .int(try checked(a.multipliedReportingOverflow(by: b), a, "*", b))
        case .divide:
            if b == 0 { throw .divisionByZero }
            return .int(try checked(a.dividedReportingOverflow(by: b), a, "/", b))
        case .remainder:
            if b == 0 { throw .divisionByZero }
            return .int(try checked(a.remainderReportingOverflow(dividingBy: b), a, "%", b))
        case .equal, .identical: return .bool(a == b)
        case .notEqual, .notIdentical: return .bool(a != b)
        case .less: return .bool(a < b)
        case .greater: return .bool(a > b)
        case .lessOrEqual: return .bool(a <= b)
        case .greaterOrEqual: return .bool(a >= b)
        case .bitAnd: return .int(a & b)
        case .bitOr: return .int(a | b)
        case .bitXor: return .int(a ^ b)
        case .shiftLeft: return .int(a << b)
        case .shiftRight: return .int(a >> b)
        case .halfOpenRange, .closedRange:
            guard a <= b else {
                throw .invalidValue(
                    "cannot form the range \(a)\(op.rawValue)\(b): the lower bound is above the "
                        + "upper bound")
            }
            return .range(RangeValue(lower: .int(a), upper: .int(b), isClosed: op == .closedRange))
        }
    }

    private static func checked(
        _ result: (partialValue: Int, overflow: Bool), _ a: Int, _ op: String, _ b: Int
    ) throws(CellError) -> Int {
        if result.overflow {
            throw .overflow("arithmetic overflow: \(a) \(op) \(b) does not fit in Int")
        }
        return result.partialValue
    }

    private static func doubles(_ op: BinaryOperator, _ a: Double, _ b: Double) throws(CellError)
        -> Value
    {
        switch op {
        case .add: return .double(a + b)
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .divide: return .double(a / b)
        case .remainder: return .double(a.truncatingRemainder(dividingBy: b))
        case .equal, .identical: return .bool(a == b)
        case .notEqual, .notIdentical: return .bool(a != b)
        case .less: return .bool(a < b)
        case .greater: return .bool(a > b)
        case .lessOrEqual: return .bool(a <= b)
        case .greaterOrEqual: return .bool(a >= b)
        case .halfOpenRange, .closedRange:
            guard a <= b else {
                throw .invalidValue(
                    "cannot form the range \(a)\(op.rawValue)\(b): the lower bound is above the "
                        + "upper bound (or is NaN)")
            }
            return .range(
                RangeValue(lower: .double(a), upper: .double(b), isClosed: op == .closedRange))
        default:
            throw op.mismatch(.double(a), .double(b))
        }
    }

    private static func strings(
        _ op: BinaryOperator, _ a: String, _ b: String, budget: MemoryBudget
    )
        throws(CellError) -> Value
    {
        switch op {
        case .add:
            try budget.checkGrowth(a.utf8.count + b.utf8.count)
            return .string(a + b)
        case .equal, .identical: return .bool(a == b)
        case .notEqual, .notIdentical: return .bool(a != b)
        case .less: return .bool(a < b)
        case .greater: return .bool(a > b)
        case .lessOrEqual: return .bool(a <= b)
        case .greaterOrEqual: return .bool(a >= b)
        default: throw op.mismatch(.string(a), .string(b))
        }
    }

    private static func tuples(
        _ op: BinaryOperator, _ a: [Value], _ b: [Value], _ lhs: Value, _ rhs: Value,
        budget: MemoryBudget
    ) throws(CellError) -> Value {
        switch op {
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            guard a.count == b.count else { throw op.mismatch(lhs, rhs) }
            for (x, y) in zip(a, b) where x != y {
                guard case .bool(let result)? = try apply(op, x, y, budget: budget) else {
                    throw op.mismatch(lhs, rhs)
                }
                return .bool(result)
            }
            return .bool(op == .lessOrEqual || op == .greaterOrEqual)
        default:
            throw op.mismatch(lhs, rhs)
        }
    }
}
