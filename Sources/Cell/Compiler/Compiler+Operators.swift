/// Prefix, postfix and infix operators, with Int fast paths that never leave the closure.
extension Compiler {
    func compilePrefix(_ op: String, _ operand: Expr, range: SourceRange) -> Evaluator {
        let evaluate = compileExpression(operand)
        let site = location(range)
        let session = self.session
        switch op {
        case "...", "..<":
            let isClosed = op == "..."
            return { frame throws(Failure) in
                let upper = try evaluate(frame)
                guard upper.numberValue != nil else {
                    throw Failure(
                        .typeMismatch("a range bound must be a number, not \(upper.typeName)"),
                        at: site)
                }
                return .range(RangeValue(lower: nil, upper: upper, isClosed: isClosed))
            }
        case "!":
            return { frame throws(Failure) in
                let value = try evaluate(frame)
                if case .bool(let test) = value { return .bool(!test) }
                return try session.applyPrefix(op, value, at: site)
            }
        default:
            return { frame throws(Failure) in
                try session.applyPrefix(op, try evaluate(frame), at: site)
            }
        }
    }

    func compilePostfix(_ op: String, _ operand: Expr, range: SourceRange) -> Evaluator {
        let evaluate = compileExpression(operand)
        let site = location(range)
        if op == "!" {
            return { frame throws(Failure) in
                let value = try evaluate(frame)
                if value.isNil {
                    throw Failure(
                        .unexpectedNil(
                            "unexpectedly found nil while unwrapping an optional with '!'"),
                        at: site)
                }
                return value
            }
        }
        return { frame throws(Failure) in
            let lower = try evaluate(frame)
            guard lower.numberValue != nil else {
                throw Failure(
                    .typeMismatch("a range bound must be a number, not \(lower.typeName)"), at: site
                )
            }
            return .range(RangeValue(lower: lower, upper: nil, isClosed: true))
        }
    }

    func compileBinary(_ op: String, _ lhs: Expr, _ rhs: Expr, range: SourceRange) -> Evaluator {
        let site = location(range)
        let session = self.session
        switch op {
        case "&&", "||":
            let left = compileExpression(lhs)
            let right = compileExpression(rhs)
            let leftSite = location(lhs.range)
            let rightSite = location(rhs.range)
            let isAnd = op == "&&"
            return { frame throws(Failure) in
                let first = try left(frame)
                guard case .bool(let a) = first else {
                    throw Compiler.notBoolean(first, at: leftSite)
                }
                if a != isAnd { return .bool(a) }
                let second = try right(frame)
                guard case .bool(let b) = second else {
                    throw Compiler.notBoolean(second, at: rightSite)
                }
                return .bool(b)
            }
        case "??":
            let left = compileExpression(lhs)
            let right = compileExpression(rhs)
            return { frame throws(Failure) in
                let value = try left(frame)
                return value.isNil ? try right(frame) : value
            }
        case "~=":
            // Swift's pattern operator, which `case` patterns use: `1...5 ~= n`.
            let pattern = compileExpression(lhs)
            let value = compileExpression(rhs)
            return { frame throws(Failure) in
                let candidate = try pattern(frame)
                return .bool(try session.patternMatches(candidate, try value(frame), at: site))
            }
        default:
            break
        }
        guard let binary = BinaryOperator(rawValue: op) else {
            problem(.typeMismatch("unknown operator '\(op)'"), at: range)
            return { frame throws(Failure) in .void }
        }
        let leftOperand = compileOperand(lhs)
        let rightOperand = compileOperand(rhs)
        guard session.usesFastPaths else {
            return { frame throws(Failure) in
                let a = try leftOperand.fetch(frame, session)
                let b = try rightOperand.fetch(frame, session)
                return try session.binaryOperation(binary, a, b, at: site)
            }
        }
        if let inPlace = binaryInPlace(binary, leftOperand, rightOperand, site: site) {
            return inPlace
        }
        return { frame throws(Failure) in
            let a = try leftOperand.fetch(frame, session)
            let b = try rightOperand.fetch(frame, session)
            if case .int(let x) = a, case .int(let y) = b,
                let result = Compiler.integerFastPath(binary, x, y)
            {
                return result
            }
            if case .double(let x) = a, case .double(let y) = b,
                let result = Compiler.doubleFastPath(binary, x, y)
            {
                return result
            }
            return try session.binaryOperation(binary, a, b, at: site)
        }
    }

    /// A binary operation on two locals, or a local and an Int constant (`a + b`, `n - 1`,
    /// `i < 10`): Int operands are read in place in their slots, without copying the values
    /// out first. Nil for other operands.
    private func binaryInPlace(
        _ binary: BinaryOperator, _ left: Operand, _ right: Operand, site: SourceLocation
    ) -> Evaluator? {
        let session = self.session
        switch (left, right) {
        case (.local(let a), .local(let b)):
            return { frame throws(Failure) in
                if case .int(let x) = frame.slots[a], case .int(let y) = frame.slots[b],
                    let result = Compiler.integerFastPath(binary, x, y)
                {
                    return result
                }
                if case .double(let x) = frame.slots[a], case .double(let y) = frame.slots[b],
                    let result = Compiler.doubleFastPath(binary, x, y)
                {
                    return result
                }
                return try session.binaryOperation(binary, frame[a], frame[b], at: site)
            }
        case (.local(let a), .constant(.int(let y))):
            return { frame throws(Failure) in
                if case .int(let x) = frame.slots[a],
                    let result = Compiler.integerFastPath(binary, x, y)
                {
                    return result
                }
                return try session.binaryOperation(binary, frame[a], .int(y), at: site)
            }
        default:
            return nil
        }
    }

    /// Int arithmetic and comparison without leaving the closure; nil on overflow, division
    /// by zero or operators it does not cover (the general path then reports or handles them).
    @inline(__always)
    static func integerFastPath(_ op: BinaryOperator, _ x: Int, _ y: Int) -> Value? {
        switch op {
        case .add:
            let (sum, overflow) = x.addingReportingOverflow(y)
            return overflow ? nil : .int(sum)
        case .subtract:
            let (difference, overflow) = x.subtractingReportingOverflow(y)
            return overflow ? nil : .int(difference)
        case .multiply:
            let (product, overflow) = x.multipliedReportingOverflow(by: y)
            return overflow ? nil : .int(product)
        case .remainder:
            guard y != 0, y != -1 else { return nil }
            return .int(x % y)
        case .divide:
            guard y != 0, y != -1 else { return nil }
            return .int(x / y)
        case .less: return .bool(x < y)
        case .greater: return .bool(x > y)
        case .lessOrEqual: return .bool(x <= y)
        case .greaterOrEqual: return .bool(x >= y)
        case .equal: return .bool(x == y)
        case .notEqual: return .bool(x != y)
        default: return nil
        }
    }

    /// Double arithmetic and comparison without leaving the closure.
    @inline(__always)
    static func doubleFastPath(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Value? {
        switch op {
        case .add: return .double(x + y)
        case .subtract: return .double(x - y)
        case .multiply: return .double(x * y)
        case .divide: return .double(x / y)
        case .less: return .bool(x < y)
        case .greater: return .bool(x > y)
        case .lessOrEqual: return .bool(x <= y)
        case .greaterOrEqual: return .bool(x >= y)
        default: return nil
        }
    }
}
