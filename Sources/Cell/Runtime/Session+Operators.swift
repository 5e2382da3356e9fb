/// Operators on values: the language's own (checked Int arithmetic, Int/Double promotion,
/// strings, arrays, comparisons, ranges) and, for library types, the registry's.
extension Session {
    /// Applies an infix operator given by its spelling (operators used as functions).
    func applyBinary(_ op: String, _ lhs: Value, _ rhs: Value, at site: SourceLocation?)
        throws(Failure) -> Value
    {
        switch op {
        case "&&", "||":
            guard case .bool(let a) = lhs, case .bool(let b) = rhs else {
                throw Failure(.typeMismatch("'\(op)' needs Bool operands"), at: site)
            }
            return .bool(op == "&&" ? a && b : a || b)
        case "??":
            return lhs.isNil ? rhs : lhs
        default:
            guard let binary = BinaryOperator(rawValue: op) else {
                throw Failure(.typeMismatch("'\(op)' cannot be used as a function"), at: site)
            }
            return try binaryOperation(binary, lhs, rhs, at: site)
        }
    }

    /// Applies an infix operator: the general path behind the evaluator's Int fast paths.
    func binaryOperation(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value, at site: SourceLocation?)
        throws(Failure) -> Value
    {
        do {
            if let result = try Arithmetic.apply(op, lhs, rhs, budget: memory) { return result }
        } catch {
            throw Failure(error, at: site)
        }
        if case .function(let implicit as ImplicitMember) = rhs, op == .equal || op == .notEqual {
            let resolved = try resolveImplicit(implicit, in: lhs.typeName, site: site)
            return try binaryOperation(op, lhs, resolved, at: site)
        }
        if case .function(let implicit as ImplicitMember) = lhs, op == .equal || op == .notEqual {
            let resolved = try resolveImplicit(implicit, in: rhs.typeName, site: site)
            return try binaryOperation(op, resolved, rhs, at: site)
        }
        if let binding = registeredOperator(registry.binaryOperators[op.rawValue], [lhs, rhs]) {
            do {
                return try binding.body(promoted([lhs, rhs], for: binding), self)
            } catch {
                throw failure(from: error, at: site)
            }
        }
        switch op {
        case .equal, .identical: return .bool(identicalOrEqual(lhs, rhs))
        case .notEqual, .notIdentical: return .bool(!identicalOrEqual(lhs, rhs))
        default: throw Failure(op.mismatch(lhs, rhs), at: site)
        }
    }

    /// Applies a compound assignment `current op= operand` in place. `+=` on a string or an
    /// array appends to the storage `current` holds, which the caller has moved out of its
    /// variable: when nothing else shares it, appending is amortised O(1) as in compiled Swift,
    /// where `current = current + operand` would copy the whole value each time. On an error
    /// `current` is left as it was.
    func compoundAssign(
        _ op: BinaryOperator, _ current: inout Value, _ operand: Value, at site: SourceLocation?
    ) throws(Failure) {
        // `if case` binds the payload without a second copy of `current` living alongside (a
        // `switch` over a tuple of both keeps one until its end), so the storage is unique.
        if op == .add, case .string(let tail) = operand, case .string(var text) = current {
            do {
                try memory.checkGrowth(text.utf8.count + tail.utf8.count)
            } catch {
                throw Failure(error, at: site)
            }
            current = .void
            text += tail
            current = .string(text)
            return
        }
        if op == .add, case .array(let tail) = operand, case .array(var elements) = current {
            let needed = elements.count + tail.count
            if needed > elements.capacity {
                do {
                    try memory.checkGrowth(
                        count: max(needed, 2 * elements.count), stride: MemoryLayout<Value>.stride)
                } catch {
                    throw Failure(error, at: site)
                }
            }
            current = .void
            elements += tail
            current = .array(elements)
            return
        }
        current = try binaryOperation(op, current, operand, at: site)
    }

    /// `current op= operand` where `current` is declared with the type `check`: a result of
    /// another type (`n += 0.5` on an Int) is an error that leaves `current` as it was. An
    /// array's `+=` checks only the elements it adds, and appends in place.
    func compoundAssign(
        _ op: BinaryOperator, _ current: inout Value, _ operand: Value, keeping check: TypeCheck,
        at site: SourceLocation?, message: (Value) -> String
    ) throws(Failure) {
        if op == .add, case .array = current, case .array = operand {
            let added = try self.check(operand, check, at: site, message: message)
            try compoundAssign(op, &current, added, at: site)
            return
        }
        if op == .add, case .string = current, case .string = operand, case .string = check {
            try compoundAssign(op, &current, operand, at: site)
            return
        }
        let result = try binaryOperation(op, current, operand, at: site)
        current = try self.check(result, check, at: site, message: message)
    }

    /// Equality for values the arithmetic does not compare: structural for user structs,
    /// identity for references and functions.
    private func identicalOrEqual(_ lhs: Value, _ rhs: Value) -> Bool { lhs == rhs }

    /// Applies a prefix operator.
    func applyPrefix(_ op: String, _ operand: Value, at site: SourceLocation?) throws(Failure)
        -> Value
    {
        switch (op, operand) {
        case ("-", .int(let value)):
            guard value != Int.min else {
                throw Failure(
                    .overflow("arithmetic overflow: -(\(value)) does not fit in Int"), at: site)
            }
            return .int(-value)
        case ("-", .double(let value)): return .double(-value)
        case ("+", .int), ("+", .double): return operand
        case ("!", .bool(let value)): return .bool(!value)
        case ("~", .int(let value)): return .int(~value)
        default: break
        }
        if let binding = registeredOperator(registry.prefixOperators[op], [operand]) {
            do {
                return try binding.body(promoted([operand], for: binding), self)
            } catch {
                throw failure(from: error, at: site)
            }
        }
        if op == "!" {
            throw Failure(
                .typeMismatch("'!' needs a Bool, not a value of type \(operand.typeName)"), at: site
            )
        }
        throw Failure(
            .typeMismatch(
                "prefix operator '\(op)' cannot be applied to a value of type \(operand.typeName)"),
            at: site)
    }

    /// The registered operator whose operand types fit, preferring exact matches.
    private func registeredOperator(_ bindings: [OperatorBinding]?, _ operands: [Value])
        -> OperatorBinding?
    {
        guard let bindings else { return nil }
        let names = operands.map(\.typeName)
        if let exact = bindings.first(where: { $0.operandTypes == names }) { return exact }
        return bindings.first { binding in
            zip(binding.operandTypes, operands).allSatisfy { expected, operand in
                expected == "Any" || conforms(operand, to: expected)
                    || (expected == "Double"
                        && {
                            if case .int = operand { return true }
                            return false
                        }())
            }
        }
    }

    private func promoted(_ operands: [Value], for binding: OperatorBinding) -> [Value] {
        zip(binding.operandTypes, operands).map { expected, operand in
            if expected == "Double", case .int(let value) = operand {
                return .double(Double(value))
            }
            return operand
        }
    }
}
