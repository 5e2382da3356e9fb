/// Calling things: dispatch on the callee, user functions and their frames, argument binding.
extension Session {
    /// Calls any callable value.
    func invoke(_ callee: Value, _ arguments: inout CallArguments) throws(Failure) -> Value {
        switch callee {
        case .function(let function):
            return try function.call(&arguments, session: self)
        case .type(let type):
            return try construct(type, &arguments)
        case .structure, .host:
            var receiver = callee
            return try callMethod(
                on: &receiver, named: "callAsFunction", arguments: &arguments,
                mutability: .immutable("calling a value cannot change it"))
        default:
            throw Failure(
                .typeMismatch(
                    "cannot call a value of type \(callee.typeName); it is not a function"),
                at: arguments.site)
        }
    }

    /// Calls a user function or closure. For methods, `selfValue` is the receiver and the
    /// result's `selfValue` is the receiver after a mutating method.
    func callUser(
        _ function: CellFunction, _ arguments: inout CallArguments, selfValue: Value?,
        builder: Bool = false
    ) throws(Failure) -> (result: Value, selfValue: Value?) {
        var receiver = selfValue ?? .void
        let result = try callUser(function, &arguments, receiver: &receiver, builder: builder)
        return (result, function.code.isMutating ? receiver : nil)
    }

    /// Calls a user function or closure; a method's receiver is moved into the frame (so a
    /// mutating method finds it unshared) and moved back, changed or not, when it returns.
    func callUser(
        _ function: CellFunction, _ arguments: inout CallArguments, receiver: inout Value,
        builder: Bool = false
    ) throws(Failure) -> Value {
        let code = function.code
        return try withFrame(
            count: code.slotCount, captures: function.captures, boxCount: code.boxCount,
            collects: builder
        ) { frame throws(Failure) in
            let offset = code.isMethod ? 1 : 0
            if code.isMethod {
                frame[0] = receiver
                receiver = .void
            }
            defer { if code.isMethod { receiver = read(code.selfLocation, frame) } }
            let argumentIndices = try bindUser(code, &arguments, into: frame, offset: offset)
            if arguments.holdsImplicitMembersInArrays {
                try rejectUntypedImplicitMembers(code, frame, offset: offset, site: arguments.site)
            }
            var result = try run(code, frame, site: arguments.site)
            for (position, argumentIndex) in argumentIndices.enumerated()
            where position < code.inoutFlags.count && code.inoutFlags[position] {
                if let argumentIndex, position < code.parameterLocations.count {
                    arguments.values[argumentIndex] = read(code.parameterLocations[position], frame)
                }
            }
            if builder { result = .array(frame.context.collector ?? []) }
            return result
        }
    }

    /// Calls `function` directly when it is a user function whose parameters are all plain
    /// required ones with the call site's labels: the site writes the arguments from the
    /// caller's frame straight into the callee's slots; or when it is a registry function
    /// with an `UnlabelledBody` the site's arguments suit (`callUnlabelled`). Nil when the
    /// call must take the general path.
    ///
    /// Not inlined on purpose: `function` and its code are borrowed for the whole call, so
    /// reading their fields (the frame's layout, the checks, the body) retains nothing, where
    /// the same code inlined into the call site retained and released them on every call.
    /// The frame is pushed here rather than through `withFrame`, whose closure made the code
    /// and an empty captures array be retained and released on every call.
    @inline(never)
    func callDirect(_ function: Callable, from caller: Frame, _ direct: DirectCallSite)
        throws(Failure) -> Value?
    {
        guard function.cellCode != nil else {
            guard let body = function.unlabelledBody, direct.passesOnlyUnlabelled else {
                return nil
            }
            return try callUnlabelled(function, body, from: caller, direct)
        }
        // Borrowed: the caller holds `function`, which holds its code.
        unowned(unsafe) let code = function.cellCode.unsafelyUnwrapped
        if direct.serial != code.serial {
            direct.serial = code.serial
            direct.isDirect = code.directLabels == direct.labels && !code.isMethod
        }
        guard direct.isDirect else { return nil }
        let count = code.slotCount
        let slots = stack.push(count)
        defer { stack.pop(slots, count) }
        let cellFunction = unsafeDowncast(function, to: CellFunction.self)
        if cellFunction.capturesNothing, code.boxCount == 0 {
            // The session keeps the shared empty context alive.
            return try enterDirect(
                code, Frame(slots: slots, context: emptyContext), from: caller, direct)
        }
        let context = FrameContext(captures: cellFunction.captures, boxCount: code.boxCount)
        return try withExtendedLifetime(context) { () throws(Failure) -> Value in
            try enterDirect(code, Frame(slots: slots, context: context), from: caller, direct)
        }
    }

    /// The body of a direct call in its pushed frame: arguments, checks, the function's body.
    @inline(__always)
    private func enterDirect(
        _ code: FunctionCode, _ callee: Frame, from caller: Frame, _ direct: DirectCallSite
    ) throws(Failure) -> Value {
        try direct.fillArguments(from: caller, into: callee.slots, self)
        do throws(Failure) {
            if direct.checksImplicitMembers {
                try rejectUntypedImplicitMembers(code, callee, offset: 0, site: direct.site)
            }
            if !code.checks.isEmpty,
                code.packedChecks == 0 || !SimpleCheck.allMatch(code.packedChecks, callee.slots)
            {
                try checkParameterTypes(code, callee, site: direct.site)
            }
            return try run(code, callee, site: direct.site)
        } catch var failure {
            failure.passed(through: direct.site, callee: code.name, caller: direct.callerName)
            throw failure
        }
    }

    /// Runs a function body in a prepared frame, with the recursion limit and interrupt check.
    @inline(__always)
    func run(_ code: FunctionCode, _ frame: Frame, site: SourceLocation?) throws(Failure) -> Value {
        depth.pointee += 1
        defer { depth.pointee -= 1 }
        if depth.pointee > recursionLimit {
            throw Failure(.recursionLimit(recursionLimit), at: site)
        }
        if interruptFlag.isRaised { throw Failure(.interrupted, at: site) }
        if !code.boxedParameters.isEmpty {
            for (slot, box) in code.boxedParameters {
                frame.context.boxes[box] = Box(frame[slot])
            }
        }
        var value: Value
        if code.hasResult, !frame.context.collects {
            value = try code.result(frame)
        } else if case .returned(let returned) = try code.body(frame) {
            value = returned
        } else {
            return try missingReturn(code, site: site)
        }
        if let simple = code.simpleReturnCheck, simple.matches(&value) { return value }
        if let check = code.returnCheck {
            return try self.check(value, check, at: site) { value in
                "cannot return a value of type \(value.typeName) from \(code.name), which "
                    + "returns \(code.returnSpec?.description ?? "")"
            }
        }
        return value
    }

    /// The value of a call whose body ended without `return`: `()`, or an error when the
    /// function declares a result.
    private func missingReturn(_ code: FunctionCode, site: SourceLocation?) throws(Failure)
        -> Value
    {
        if let spec = code.returnSpec, spec != .named("Void") {
            throw Failure(
                .invalidValue("missing return in \(code.name), which returns \(spec.description)"),
                at: site)
        }
        return .void
    }

    /// Checks a value against a declared type: the common cases inline, the rest through
    /// `conform`.
    @inline(__always)
    func check(
        _ value: Value, _ check: TypeCheck, at site: SourceLocation?, message: (Value) -> String
    ) throws(Failure) -> Value {
        switch (check, value) {
        case (.int, .int), (.double, .double), (.bool, .bool), (.string, .string): return value
        case (.double, .int(let integer)): return .double(Double(integer))
        default: return try conform(value, to: check.spec, at: site, message: message)
        }
    }

    /// Reads a variable of a frame.
    func read(_ location: VariableRef, _ frame: Frame) -> Value {
        switch location {
        case .local(let slot): return frame[slot]
        case .boxed(let index): return frame.box(index).value
        case .capture(let index): return frame.capture(index).value
        case .ownFunction(let reference): return reference.function(in: frame)
        case .global(let address, _): return address.pointee ?? .void
        }
    }

    /// Binds arguments into a user function's frame; returns, per parameter, the index of the
    /// argument it came from (for `inout` write-back).
    private func bindUser(
        _ code: FunctionCode, _ arguments: inout CallArguments, into frame: Frame, offset: Int
    ) throws(Failure) -> [Int?] {
        let parameterCount = code.parameters.count
        if code.ignoresArguments { return [] }
        var values = arguments.values
        if code.isClosure {
            if parameterCount > 1, values.count == 1, case .tuple(let tuple) = values[0],
                tuple.elements.count == parameterCount
            {
                values = tuple.elements
            }
            guard values.count == parameterCount else {
                throw Failure(
                    .badArguments(
                        "the closure takes \(parameterCount) argument"
                            + "\(parameterCount == 1 ? "" : "s"), but \(values.count) "
                            + "\(values.count == 1 ? "was" : "were") given"),
                    at: arguments.site)
            }
            for position in 0..<parameterCount {
                frame[offset + position] = try checked(
                    values[position], code, position, arguments.site)
            }
            return Array(0..<parameterCount)
        }
        if usesFastPaths, let direct = code.directLabels, direct == arguments.labels {
            for position in 0..<parameterCount {
                frame[offset + position] = try checked(
                    values[position], code, position, arguments.site)
            }
            return Array(0..<parameterCount)
        }
        let assignment = ArgumentBinder.assign(
            labels: arguments.labels, trailingClosureCount: arguments.trailingClosureCount,
            to: code.parameters, hasDefault: { code.defaults[$0] != nil }, callee: code.name)
        let slots: [ArgumentBinder.Slot]
        switch assignment {
        case .success(let assigned): slots = assigned
        case .failure(let error): throw Failure(error, at: arguments.site)
        }
        var indices: [Int?] = []
        for (position, slot) in slots.enumerated() {
            var value: Value
            switch slot {
            case .omitted:
                if let makeDefault = code.defaults[position] {
                    value = try makeDefault(frame)
                } else {
                    value = .array([])
                }
                indices.append(nil)
            case .argument(let index):
                value = values[index]
                if code.parameters[position].isBuilder {
                    value = try runBuilder(value, arguments.site)
                }
                indices.append(index)
            case .variadic(let group):
                value = .array(group.map { values[$0] })
                indices.append(nil)
            }
            frame[offset + position] = try checked(value, code, position, arguments.site)
        }
        return indices
    }

    @inline(__always)
    private func checked(
        _ value: Value, _ code: FunctionCode, _ position: Int, _ site: SourceLocation?
    ) throws(Failure) -> Value {
        guard position < code.specs.count, let spec = code.specs[position] else { return value }
        return try self.check(value, TypeCheck(spec), at: site) { value in
            "cannot convert value of type \(value.typeName) to expected argument type "
                + "\(code.specs[position]?.description ?? "") (parameter "
                + "'\(code.parameters[position].name)' of \(code.name))"
        }
    }

    /// Runs a builder closure, collecting the values of its expression statements; an array
    /// is accepted as it is.
    func runBuilder(_ value: Value, _ site: SourceLocation?) throws(Failure) -> Value {
        guard case .function(let function as CellFunction) = value, function.code.isClosure else {
            return value
        }
        var arguments = CallArguments([], site: site)
        return try callUser(function, &arguments, selfValue: nil, builder: true).result
    }
}
