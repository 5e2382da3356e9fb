/// Literals, names, operators, members, subscripts, casts.
extension Compiler {
    func compileExpression(_ expression: Expr) -> Evaluator {
        let range = expression.range
        switch expression.kind {
        case .integer(let value):
            let constant = Value.int(value)
            return { frame throws(Failure) in constant }
        case .float(let value):
            let constant = Value.double(value)
            return { frame throws(Failure) in constant }
        case .bool(let value):
            let constant = Value.bool(value)
            return { frame throws(Failure) in constant }
        case .nilLiteral:
            return { frame throws(Failure) in .nilValue }
        case .string(let parts):
            return compileString(parts)
        case .identifier(let name):
            return compileIdentifier(name, range: range)
        case .dollar(let position):
            return compileIdentifier("$\(position)", range: range)
        case .array(let elements):
            return compileArrayLiteral(elements)
        case .dictionary(let pairs):
            return compileDictionaryLiteral(pairs, range: range)
        case .tuple(let elements):
            return compileTuple(elements)
        case .prefix(let op, let operand):
            return compilePrefix(op, operand, range: range)
        case .postfix(let op, let operand):
            return compilePostfix(op, operand, range: range)
        case .binary(let op, let lhs, let rhs):
            return compileBinary(op, lhs, rhs, range: range)
        case .ternary(let condition, let then, let otherwise):
            let test = compileTest(condition)
            let whenTrue = compileExpression(then)
            let whenFalse = compileExpression(otherwise)
            return { frame throws(Failure) in
                try test(frame) ? try whenTrue(frame) : try whenFalse(frame)
            }
        case .assign(let op, let target, let value):
            let run = compileAssignment(op, target, value, range: range)
            return { frame throws(Failure) in
                try run(frame)
                return .void
            }
        case .call(let callee, let arguments):
            return compileCall(callee, arguments, range: range)
        case .member(let base, let name, _):
            return compileMember(base, name, range: range)
        case .implicitMember(let name):
            let member = Value.function(
                ImplicitMember(memberName: name, arguments: nil, site: location(range)))
            return { frame throws(Failure) in member }
        case .subscriptAccess(let base, let arguments):
            return compileSubscript(base, arguments, range: range)
        case .closure(let closure):
            return compileClosure(closure, range: range)
        case .cast(let operand, let kind, let type):
            return compileCast(operand, kind, type, range: range)
        case .inoutArgument:
            problem(
                .typeMismatch("'&' can only mark an argument passed to an 'inout' parameter"),
                at: range)
            return { frame throws(Failure) in .void }
        case .operatorReference(let op):
            let function = Value.function(OperatorFunction(op: op))
            return { frame throws(Failure) in function }
        case .optionalMarker(let inner):
            let evaluate = compileExpression(inner)
            return { frame throws(Failure) in
                let value = try evaluate(frame)
                if value.isNil { throw Failure.optionalChainExit }
                return value
            }
        case .optionalChain(let inner):
            let evaluate = compileExpression(inner)
            return { frame throws(Failure) in
                do throws(Failure) {
                    return try evaluate(frame)
                } catch {
                    if error.isOptionalChainExit { return .nilValue }
                    throw error
                }
            }
        case .tryExpr(let inner):
            return compileExpression(inner)
        case .ifExpression(let statement):
            return compileIfExpression(statement, range: range)
        case .switchExpression(let statement):
            return compileSwitchExpression(statement, range: range)
        case .missing:
            problem(.typeMismatch("an expression is missing here"), at: range)
            return { frame throws(Failure) in .void }
        }
    }

    // MARK: - Names

    func compileIdentifier(_ name: String, range: SourceRange) -> Evaluator {
        if let local = context.resolveLocal(name) { return reader(local.ref, range: range) }
        if name == "self" {
            problem(.undefinedName("self", suggestion: nil), at: range)
            return { frame throws(Failure) in .void }
        }
        if context.implicitMember(name) {
            return compileMember(Expr(.identifier("self"), range), name, range: range)
        }
        return reader(resolve(name).ref, range: range)
    }

    // MARK: - Literals

    private func compileString(_ parts: [StringPart]) -> Evaluator {
        if parts.isEmpty { return { frame throws(Failure) in .string("") } }
        if parts.count == 1, case .text(let text) = parts[0] {
            let constant = Value.string(text)
            return { frame throws(Failure) in constant }
        }
        let session = self.session
        var pieces: [EvaluatorBox] = []
        for part in parts {
            switch part {
            case .text(let text):
                let constant = Value.string(text)
                pieces.append(EvaluatorBox { frame throws(Failure) in constant })
            case .interpolation(let expression):
                pieces.append(EvaluatorBox(call: compileExpression(expression)))
            }
        }
        return { frame throws(Failure) in
            var text = ""
            for piece in pieces {
                let value = try piece.call(frame)
                if case .string(let part) = value {
                    text += part
                } else {
                    text += try session.describe(value)
                }
            }
            return .string(text)
        }
    }

    private func compileArrayLiteral(_ elements: [Expr]) -> Evaluator {
        let evaluators = elements.map { EvaluatorBox(call: compileExpression($0)) }
        return { frame throws(Failure) in
            var values: [Value] = []
            values.reserveCapacity(evaluators.count)
            for evaluate in evaluators { values.append(try evaluate.call(frame)) }
            return .array(Compiler.promotingMixedNumbers(values))
        }
    }

    /// `[1, 2.5]` is `[1.0, 2.5]`: as Swift infers `[Double]` for a literal that mixes Int and
    /// Double elements, the Ints of an all-number array become Doubles.
    static func promotingMixedNumbers(_ values: [Value]) -> [Value] {
        var holdsInt = false
        var holdsDouble = false
        for value in values {
            switch value {
            case .int: holdsInt = true
            case .double: holdsDouble = true
            default: return values
            }
        }
        guard holdsInt, holdsDouble else { return values }
        return values.map { value in
            if case .int(let integer) = value { return .double(Double(integer)) }
            return value
        }
    }

    private func compileDictionaryLiteral(_ pairs: [(key: Expr, value: Expr)], range: SourceRange)
        -> Evaluator
    {
        let keys = pairs.map { EvaluatorBox(call: compileExpression($0.key)) }
        let values = pairs.map { EvaluatorBox(call: compileExpression($0.value)) }
        let site = location(range)
        return { frame throws(Failure) in
            var dictionary = DictionaryValue()
            for (key, value) in zip(keys, values) {
                let key = try key.call(frame)
                // Swift stops a program whose dictionary literal repeats a key.
                if dictionary[key] != nil {
                    throw Failure(
                        .invalidValue(
                            "the dictionary literal has the key \(key.debugText) more than once; "
                                + "keys must be unique"), at: site)
                }
                dictionary[key] = try value.call(frame)
            }
            return .dictionary(dictionary)
        }
    }

    private func compileTuple(_ elements: [TupleElement]) -> Evaluator {
        if elements.isEmpty { return { frame throws(Failure) in .void } }
        let evaluators = elements.map { EvaluatorBox(call: compileExpression($0.value)) }
        let labels = elements.map(\.label)
        return { frame throws(Failure) in
            var values: [Value] = []
            values.reserveCapacity(evaluators.count)
            for evaluate in evaluators { values.append(try evaluate.call(frame)) }
            return .tuple(TupleValue(values, labels: labels))
        }
    }

    // MARK: - Members and subscripts

    func compileMember(_ base: Expr, _ name: String, range: SourceRange) -> Evaluator {
        let evaluate = compileExpression(base)
        let site = location(range)
        let session = self.session
        let cache = StructFieldCache()
        return { frame throws(Failure) in
            let value = try evaluate(frame)
            if case .structure(let instance) = value {
                if instance.type.identity == cache.typeIdentity { return instance[cache.index] }
                if let index = instance.type.propertyIndex[name] {
                    cache.typeIdentity = instance.type.identity
                    cache.index = index
                    return instance[index]
                }
            }
            return try session.member(name, of: value, at: site)
        }
    }

    private func compileSubscript(_ base: Expr, _ arguments: [Argument], range: SourceRange)
        -> Evaluator
    {
        let evaluate = compileExpression(base)
        let indices = arguments.map { EvaluatorBox(call: compileExpression($0.value)) }
        let labels = arguments.map(\.label)
        let site = location(range)
        let session = self.session
        if indices.count == 1, labels[0] == nil {
            let index = indices[0].call
            return { frame throws(Failure) in
                let value = try evaluate(frame)
                let position = try index(frame)
                if case .array(let elements) = value, case .int(let offset) = position,
                    offset >= 0, offset < elements.count
                {
                    return elements[offset]
                }
                var list = CallArguments([position], site: site)
                return try session.subscriptValue(value, &list)
            }
        }
        return { frame throws(Failure) in
            let value = try evaluate(frame)
            var values: [Value] = []
            for index in indices { values.append(try index.call(frame)) }
            var list = CallArguments(values, labels: labels, site: site)
            return try session.subscriptValue(value, &list)
        }
    }

    // MARK: - Casts

    private func compileCast(
        _ operand: Expr, _ kind: CastKind, _ type: TypeSyntax, range: SourceRange
    )
        -> Evaluator
    {
        let evaluate = compileExpression(operand)
        let spec = TypeSpec(type)
        let site = location(range)
        let session = self.session
        switch kind {
        case .isType:
            return { frame throws(Failure) in .bool(session.matches(try evaluate(frame), spec)) }
        case .conditional:
            return { frame throws(Failure) in
                let value = try evaluate(frame)
                guard session.matches(value, spec) else { return .nilValue }
                do {
                    return try session.conform(value, to: spec, at: site) { _ in "" }
                } catch {
                    return .nilValue
                }
            }
        case .coerce, .forced:
            let word = kind == .forced ? "as!" : "as"
            return { frame throws(Failure) in
                let value = try evaluate(frame)
                return try session.conform(value, to: spec, at: site) { value in
                    "cannot cast a value of type \(value.typeName) to \(spec.description) with "
                        + "'\(word)'"
                }
            }
        }
    }
}

/// The last struct type a member access saw (its identity, which does not keep it alive) and
/// where the field was: the next access to an instance of the same type skips the lookup by
/// name.
final class StructFieldCache {
    var typeIdentity = 0
    var index = 0
    /// The field's declared type, when it has one (for assignments).
    var check: TypeCheck?
}

extension Failure {
    /// The signal that ends an optional chain `a?.b` when `a` is nil.
    static let optionalChainExit = Failure(.unexpectedNil("optional chain"), at: nil)

    /// Whether this is the optional chain signal rather than an error.
    var isOptionalChainExit: Bool {
        location == nil && frames.isEmpty && error == .unexpectedNil("optional chain")
    }
}
