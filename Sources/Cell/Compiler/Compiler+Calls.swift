/// Calls: of functions and closures (with a direct path for user functions), methods, types,
/// implicit members, and arguments passed `inout`.
extension Compiler {
    /// Compiled arguments of a call.
    struct CompiledArguments {
        var operands: [Operand] = []
        var labels: [String?] = []
        var trailingClosureCount = 0
        /// Arguments written `&x`, written back after the call (`site` is where the `&x` is).
        var inoutPlaces: [(index: Int, place: Place, site: SourceLocation)] = []
        let session: Session

        func evaluate(_ frame: Frame) throws(Failure) -> [Value] {
            var values: [Value] = []
            values.reserveCapacity(operands.count)
            for operand in operands { values.append(try operand.fetch(frame, session)) }
            return values
        }

        func writeBack(_ list: CallArguments, _ frame: Frame) throws(Failure) {
            for (index, place, site) in inoutPlaces where index < list.values.count {
                var value = list.values[index]
                // The write-back is an assignment, so a declared type holds as it does for `=`:
                // `var r: Double = 1; bump(&r)` keeps a Double, a String into an Int fails.
                if place.steps.isEmpty, let type = place.rootType {
                    value = try session.converted(value, to: type, name: place.rootName, at: site)
                    try place.modify(frame) { current throws(Failure) in current = value }
                } else {
                    try place.assign(
                        frame, indexValues: try place.evaluateIndices(frame), value, nil,
                        fast: session.usesFastPaths, at: site)
                }
            }
        }
    }

    func compileArguments(_ arguments: [Argument]) -> CompiledArguments {
        var compiled = CompiledArguments(session: session)
        for (index, argument) in arguments.enumerated() {
            compiled.labels.append(argument.label)
            if argument.isTrailingClosure { compiled.trailingClosureCount += 1 }
            if case .inoutArgument(let inner) = argument.value.kind {
                guard let place = compilePlace(inner) else {
                    problem(
                        .immutable("only a variable, property or subscript can be passed with '&'"),
                        at: inner.range)
                    compiled.operands.append(.constant(.void))
                    continue
                }
                if place.rootIsLet, place.steps.isEmpty {
                    problem(
                        .immutable(
                            "cannot pass '\(place.rootName)' with '&': it is a 'let' constant"),
                        at: inner.range)
                }
                compiled.operands.append(
                    .general { frame throws(Failure) in try place.read(frame) })
                compiled.inoutPlaces.append((index, place, location(inner.range)))
            } else {
                compiled.operands.append(compileOperand(argument.value))
            }
        }
        return compiled
    }

    func compileCall(_ callee: Expr, _ arguments: [Argument], range: SourceRange) -> Evaluator {
        let site = location(range)
        if arguments.isEmpty, let empty = emptyCollection(callee) { return empty }
        if case .implicitMember(let name) = callee.kind {
            let compiled = compileArguments(arguments)
            return { frame throws(Failure) in
                let list = CallArguments(
                    try compiled.evaluate(frame), labels: compiled.labels, site: site,
                    trailingClosureCount: compiled.trailingClosureCount)
                return .function(ImplicitMember(memberName: name, arguments: list, site: site))
            }
        }
        if case .member(let base, let name, _) = callee.kind {
            return compileMethodCall(base, name, arguments, range: range)
        }
        if case .identifier(let name) = callee.kind, context.resolveLocal(name) == nil,
            name != "self", context.implicitMember(name)
        {
            return compileMethodCall(
                Expr(.identifier("self"), callee.range), name, arguments, range: range)
        }
        let calleeOperand = compileOperand(callee)
        let compiled = compileArguments(arguments)
        let session = self.session
        let callerName = context.name
        let canBeDirect = compiled.inoutPlaces.isEmpty && session.usesFastPaths
        let holdsImplicitMembersInArrays = arguments.contains {
            Compiler.isArrayLiteralHoldingImplicitMember($0.value)
        }
        let direct = DirectCallSite(
            labels: compiled.labels, operands: compiled.operands,
            checksImplicitMembers: holdsImplicitMembersInArrays,
            passesOnlyUnlabelled: compiled.trailingClosureCount == 0
                && compiled.labels.allSatisfy { $0 == nil },
            site: site, callerName: callerName)
        return { frame throws(Failure) in
            // A function in a variable is called where it lies, without copying the variable's
            // value: one retain of the function keeps it alive through the call.
            if canBeDirect {
                switch calleeOperand {
                case .global(let address, _):
                    if case .function(let function)? = address.pointee,
                        let result = try session.callDirect(function, from: frame, direct)
                    {
                        return result
                    }
                case .local(let slot):
                    if case .function(let function) = frame.slots[slot],
                        let result = try session.callDirect(function, from: frame, direct)
                    {
                        return result
                    }
                case .general, .constant:
                    break
                }
            }
            let calleeValue = try calleeOperand.fetch(frame, session)
            if canBeDirect, case .general = calleeOperand,
                case .function(let function) = calleeValue,
                let result = try session.callDirect(function, from: frame, direct)
            {
                return result
            }
            var list = CallArguments(
                try compiled.evaluate(frame), labels: compiled.labels, site: site,
                trailingClosureCount: compiled.trailingClosureCount)
            list.holdsImplicitMembersInArrays = holdsImplicitMembersInArrays
            let result: Value
            do throws(Failure) {
                result = try session.invoke(calleeValue, &list)
            } catch var failure {
                failure.passed(through: site, callee: calleeValue.calleeName, caller: callerName)
                throw failure
            }
            try compiled.writeBack(list, frame)
            return result
        }
    }

    /// Whether `expression` is an array literal with an element written `.member` or
    /// `.member(…)`.
    static func isArrayLiteralHoldingImplicitMember(_ expression: Expr) -> Bool {
        guard case .array(let elements) = expression.kind else { return false }
        return elements.contains { element in
            switch element.kind {
            case .implicitMember: return true
            case .call(let callee, _):
                if case .implicitMember = callee.kind { return true }
                return false
            default: return false
            }
        }
    }

    /// `[Int]()` and `[String: Double]()`: empty collections written with their type.
    private func emptyCollection(_ callee: Expr) -> Evaluator? {
        switch callee.kind {
        case .array(let elements) where elements.count == 1:
            if case .identifier = elements[0].kind {
                return { frame throws(Failure) in .array([]) }
            }
            if case .array = elements[0].kind { return { frame throws(Failure) in .array([]) } }
        case .dictionary(let pairs) where pairs.count == 1:
            return { frame throws(Failure) in .dictionary(DictionaryValue()) }
        default:
            break
        }
        return nil
    }

    /// `receiver.name(arguments)`. When the receiver is a variable (or a property or element
    /// of one) and the method is mutating, it is changed in place.
    func compileMethodCall(
        _ base: Expr, _ name: String, _ arguments: [Argument], range: SourceRange
    ) -> Evaluator {
        let compiled = compileArguments(arguments)
        let place = compilePlace(base)
        let callSite = MethodCallSite(
            name: name, labels: compiled.labels,
            trailingClosureCount: compiled.trailingClosureCount, site: location(range),
            callerName: context.name, session: session, place: place,
            base: place == nil ? EvaluatorBox(call: compileExpression(base)) : nil,
            cacheable: compiled.inoutPlaces.isEmpty && session.usesFastPaths)
        // The receiver's indices are evaluated once, before the arguments, as in Swift
        // (`xs[f()].append(g())` calls f, then g); at a `?` meeting nil the chain ends before
        // the arguments (`d[key]?.append(g())` does not call g).
        let indexed = place.flatMap { $0.evaluatesIndices ? $0 : nil }
        if compiled.inoutPlaces.isEmpty {
            guard let indexed else {
                return { frame throws(Failure) in
                    try callSite.call(frame, values: try compiled.evaluate(frame), indexValues: [])
                        .result
                }
            }
            return { frame throws(Failure) in
                let indexValues = try indexed.evaluateIndices(frame)
                return try callSite.call(
                    frame, values: try compiled.evaluate(frame), indexValues: indexValues
                ).result
            }
        }
        return { frame throws(Failure) in
            let indexValues = try indexed?.evaluateIndices(frame) ?? []
            let outcome = try callSite.call(
                frame, values: try compiled.evaluate(frame), indexValues: indexValues)
            if let arguments = outcome.arguments { try compiled.writeBack(arguments, frame) }
            return outcome.result
        }
    }
}

/// A call site's part in a direct call (`Session.callDirect`): what it passes, and the
/// function it last called with whether its labels allow the direct path.
///
/// It remembers the code by its serial number, never by reference: a recursive function's
/// call site lives in the function's own code, and a reference would keep that code alive
/// forever (the soak's leak). A serial, unlike an object's address, is never reused.
final class DirectCallSite {
    /// `FunctionCode.serial` of the code last called (0: none yet).
    var serial = 0
    /// Whether that code takes this site's arguments directly.
    var isDirect = false
    let labels: [String?]
    /// The arguments, read from the caller's frame straight into the callee's first slots.
    let operands: [Operand]
    /// Whether an argument is an array literal holding an implicit member.
    let checksImplicitMembers: Bool
    /// Whether every argument is unlabelled and none is a trailing closure: a registry
    /// function's `UnlabelledBody` may take the call.
    let passesOnlyUnlabelled: Bool
    let site: SourceLocation
    let callerName: String

    init(
        labels: [String?], operands: [Operand], checksImplicitMembers: Bool,
        passesOnlyUnlabelled: Bool, site: SourceLocation, callerName: String
    ) {
        self.labels = labels
        self.operands = operands
        self.checksImplicitMembers = checksImplicitMembers
        self.passesOnlyUnlabelled = passesOnlyUnlabelled
        self.site = site
        self.callerName = callerName
    }

    /// Evaluates the arguments in the caller's frame into the callee's first slots, which
    /// `ValueStack.push` left `()`: a slot is initialized over its `()`, which owns nothing,
    /// so no release runs; an argument that throws leaves its slot and the later ones `()`.
    @inline(__always)
    func fillArguments(
        from caller: Frame, into callee: UnsafeMutablePointer<Value>, _ session: Session
    ) throws(Failure) {
        for index in operands.indices {
            (callee + index).initialize(to: try operands[index].fetch(caller, session))
        }
    }
}

extension Value {
    /// The name of a callee for tracebacks.
    var calleeName: String {
        switch self {
        case .function(let function): return function.name
        case .type(let type): return type.name
        default: return typeName
        }
    }
}

extension Session {
    /// Whether calling the method `name` on `receiver` changes the receiver.
    func methodMutates(_ receiver: Value, _ name: String) -> Bool {
        switch receiver {
        case .structure(let instance):
            let methods = instance.type.methods[name] ?? extensionMethods[instance.type.name]?[name]
            return methods?.contains { $0.code.isMutating } ?? false
        case .host(let object) where object.type.kind == .reference:
            return false
        case .type, .nilValue:
            return false
        default:
            let info = typeInfo(of: receiver)
            if let methods = info.methods[name] { return methods.contains(where: \.isMutating) }
            return extensionMethods[extensionKey(receiver)]?[name]?.contains { $0.code.isMutating }
                ?? false
        }
    }

    /// Checks the declared parameter types of a directly called function.
    func checkParameterTypes(
        _ code: FunctionCode, _ frame: Frame, site: SourceLocation?, offset: Int = 0
    ) throws(Failure) {
        if let simple = code.simpleChecks,
            simple.allSatisfy({ $0.kind.matches(frame.slots + (offset + $0.position)) })
        {
            return
        }
        for (position, check) in code.checks {
            frame[offset + position] = try self.check(frame[offset + position], check, at: site) {
                value in
                "cannot convert value of type \(value.typeName) to expected argument type "
                    + "\(code.specs[position]?.description ?? "") (parameter "
                    + "'\(code.parameters[position].name)' of \(code.name))"
            }
        }
    }
}
