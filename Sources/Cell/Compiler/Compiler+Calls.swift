/// Calls: of functions and closures (with a direct path for user functions), methods, types,
/// implicit members, and arguments passed `inout`.
extension Compiler {
    /// Compiled arguments of a call.
    struct CompiledArguments {
        var evaluators: [Evaluator] = []
        var labels: [String?] = []
        var trailingClosureCount = 0
        /// Arguments written `&x`, written back after the call.
        var inoutPlaces: [(index: Int, place: Place)] = []

        func evaluate(_ frame: Frame) throws(Failure) -> [Value] {
            var values: [Value] = []
            values.reserveCapacity(evaluators.count)
            for evaluate in evaluators { values.append(try evaluate(frame)) }
            return values
        }

        func writeBack(_ list: CallArguments, _ frame: Frame) throws(Failure) {
            for (index, place) in inoutPlaces where index < list.values.count {
                let value = list.values[index]
                try place.modify(frame) { current throws(Failure) in current = value }
            }
        }
    }

    func compileArguments(_ arguments: [Argument]) -> CompiledArguments {
        var compiled = CompiledArguments()
        for (index, argument) in arguments.enumerated() {
            compiled.labels.append(argument.label)
            if argument.isTrailingClosure { compiled.trailingClosureCount += 1 }
            if case .inoutArgument(let inner) = argument.value.kind {
                guard let place = compilePlace(inner) else {
                    problem(
                        .immutable("only a variable, property or subscript can be passed with '&'"),
                        at: inner.range)
                    let nothing: Evaluator = { frame throws(Failure) in .void }
                    compiled.evaluators.append(nothing)
                    continue
                }
                if place.rootIsLet, place.steps.isEmpty {
                    problem(
                        .immutable(
                            "cannot pass '\(place.rootName)' with '&': it is a 'let' constant"),
                        at: inner.range)
                }
                let read: Evaluator = { frame throws(Failure) in try place.read(frame) }
                compiled.evaluators.append(read)
                compiled.inoutPlaces.append((index, place))
            } else {
                compiled.evaluators.append(compileExpression(argument.value))
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
        let evaluateCallee = compileExpression(callee)
        let compiled = compileArguments(arguments)
        let session = self.session
        let callerName = context.name
        let cache = DirectCallCache()
        let argumentCount = compiled.evaluators.count
        let canBeDirect = compiled.inoutPlaces.isEmpty
        return { frame throws(Failure) in
            let calleeValue = try evaluateCallee(frame)
            if canBeDirect, case .function(let function) = calleeValue, let code = function.cellCode
            {
                if cache.code !== code {
                    cache.code = code
                    cache.isDirect = code.directLabels == compiled.labels && !code.isMethod
                }
                if cache.isDirect {
                    let cellFunction = unsafeDowncast(function, to: CellFunction.self)
                    let callee = Frame.make(
                        count: code.slotCount, captures: cellFunction.captures,
                        boxCount: code.boxCount)
                    for index in 0..<argumentCount {
                        callee[index] = try compiled.evaluators[index](frame)
                    }
                    do throws(Failure) {
                        if code.hasSpecs {
                            try session.checkParameterTypes(code, callee, site: site)
                        }
                        return try session.run(code, callee, site: site)
                    } catch var failure {
                        failure.passed(through: site, callee: code.name, caller: callerName)
                        throw failure
                    }
                }
            }
            var list = CallArguments(
                try compiled.evaluate(frame), labels: compiled.labels, site: site,
                trailingClosureCount: compiled.trailingClosureCount)
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
    )
        -> Evaluator
    {
        let site = location(range)
        let compiled = compileArguments(arguments)
        let session = self.session
        let callerName = context.name
        let place = compilePlace(base)
        let evaluateBase = place == nil ? compileExpression(base) : nil
        let displayName = name
        return { frame throws(Failure) in
            var list = CallArguments(
                try compiled.evaluate(frame), labels: compiled.labels, site: site,
                trailingClosureCount: compiled.trailingClosureCount)
            var result = Value.void
            do throws(Failure) {
                if let place {
                    let mutates = session.methodMutates(try place.read(frame), displayName)
                    if mutates {
                        if let reason = try place.immutabilityReason(frame) {
                            throw Failure(
                                .immutable(
                                    "cannot use mutating method '\(displayName)': \(reason)"),
                                at: site)
                        }
                        try place.modify(frame) { receiver throws(Failure) in
                            result = try session.callMethod(
                                on: &receiver, named: displayName, arguments: &list,
                                mutability: .mutable)
                        }
                    } else {
                        var receiver = try place.read(frame)
                        result = try session.callMethod(
                            on: &receiver, named: displayName, arguments: &list,
                            mutability: .immutable("the method cannot change its receiver"))
                    }
                } else if let evaluateBase {
                    var receiver = try evaluateBase(frame)
                    result = try session.callMethod(
                        on: &receiver, named: displayName, arguments: &list,
                        mutability: .immutable(
                            "the receiver is a temporary value; store it in a 'var' first"))
                }
            } catch var failure {
                failure.passed(through: site, callee: displayName, caller: callerName)
                throw failure
            }
            try compiled.writeBack(list, frame)
            return result
        }
    }
}

/// The function a call site last called directly, and whether its labels allow it.
final class DirectCallCache {
    var code: FunctionCode?
    var isDirect = false
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
            return extensionMethods[receiver.typeName]?[name]?.contains { $0.code.isMutating }
                ?? false
        }
    }

    /// Checks the declared parameter types of a directly called function.
    func checkParameterTypes(_ code: FunctionCode, _ frame: Frame, site: SourceLocation?)
        throws(Failure)
    {
        for (position, spec) in code.specs.enumerated() {
            guard let spec else { continue }
            frame[position] = try conform(frame[position], to: spec, at: site) { value in
                "cannot convert value of type \(value.typeName) to expected argument type "
                    + "\(spec.description) (parameter '\(code.parameters[position].name)' of "
                    + "\(code.name))"
            }
        }
    }
}
