/// Functions, closures and methods: their frames, parameters, captures and bodies.
extension Compiler {
    /// A parameter as written, for any kind of function.
    struct ParameterSource {
        var label: String?
        var name: String
        var type: TypeSyntax?
        var defaultValue: Expr?
        var isVariadic = false
        var isInout = false
    }

    /// Compiles a function body in a new context; returns its code and where its captured
    /// variables live in the enclosing frame.
    func compileFunctionCode(
        name: String, kind: FunctionContext.Kind, parameters: [ParameterSource], body: [Stmt],
        returnType: TypeSyntax?, memberNames: Set<String> = [], signatureText: String,
        documentation: String? = nil, ignoresArguments: Bool = false, ownName: String? = nil,
        siblings: LocalFunctionSiblings? = nil, sourceText: String? = nil
    ) -> (code: FunctionCode, captures: [VariableRef]) {
        let outer = context
        let captured = SyntaxWalker.namesUsedInNestedFunctions(
            body, parameters: parameters.compactMap(\.defaultValue))
        var localFunctions: [String: FunctionCodeReference] = [:]
        var ownReference: FunctionCodeReference?
        if let siblings {
            localFunctions = siblings.references
            ownReference = ownName.flatMap { siblings.references[$0] }
        } else if let ownName {
            let reference = FunctionCodeReference()
            localFunctions[ownName] = reference
            ownReference = reference
        }
        let inner = FunctionContext(
            parent: outer, kind: kind, name: name, capturedNames: captured,
            memberNames: memberNames, localFunctions: localFunctions,
            captureList: siblings?.captureList ?? CaptureList())
        context = inner
        defer { context = outer }
        var code = FunctionBlueprint(
            name: name, signatureText: signatureText, documentation: documentation, file: file)
        code.ignoresArguments = ignoresArguments
        code.sourceText = sourceText
        if case .closure = kind { code.isClosure = true }
        if case .method(_, let isMutating) = kind {
            code.isMethod = true
            code.isMutating = isMutating
            let slot = inner.hiddenSlot()
            code.selfLocation = bindParameterSlot(
                slot, named: "self", isLet: !isMutating, in: inner, &code)
        }
        for parameter in parameters {
            let slot = inner.hiddenSlot()
            let ref = bindParameterSlot(
                slot, named: parameter.name, isLet: !parameter.isInout, in: inner, &code)
            code.parameterLocations.append(ref)
            let typeText = parameter.type.map { file.text($0.range.start..<$0.range.end) }
            var declared = Parameter(
                label: parameter.label, name: parameter.name, type: typeText,
                isVariadic: parameter.isVariadic)
            declared.acceptsInout = parameter.isInout
            if let value = parameter.defaultValue {
                declared.defaultDescription = file.text(value.range.start..<value.range.end)
            }
            code.parameters.append(declared)
            code.inoutFlags.append(parameter.isInout)
            var spec = parameter.type.map(TypeSpec.init)
            if parameter.isVariadic, let element = spec { spec = .array(element) }
            code.specs.append(spec == .any ? nil : spec)
        }
        // Defaults are compiled after every parameter is declared, in the callee's context.
        code.defaults = parameters.map { parameter in parameter.defaultValue.map(compileExpression)
        }
        code.returnSpec = returnType.map(TypeSpec.init).flatMap { $0 == .any ? nil : $0 }
        if code.returnSpec == .named("Void") { code.returnSpec = nil }
        let compiledBody = compileFunctionBody(
            body, isClosure: code.isClosure, returnsValue: code.returnSpec != nil)
        let function = FunctionCode(
            code, body: compiledBody.body, result: compiledBody.result,
            slotCount: inner.slotCount, boxCount: inner.boxCount)
        ownReference?.code = function
        siblings?.group.add(function)
        return (function, inner.captures.map(\.source))
    }

    /// Declares a parameter that arrives in `slot`; a captured one moves into a box on entry.
    private func bindParameterSlot(
        _ slot: Int, named name: String, isLet: Bool, in inner: FunctionContext,
        _ code: inout FunctionBlueprint
    ) -> VariableRef {
        let ref: VariableRef
        if inner.capturedNames.contains(name) {
            ref = .boxed(inner.boxCount)
            code.boxedParameters.append((slot, inner.boxCount))
            inner.boxCount += 1
        } else {
            ref = .local(slot)
        }
        inner.scopes[inner.scopes.count - 1][name] = FunctionContext.Local(ref: ref, isLet: isLet)
        return ref
    }

    /// A body whose single expression statement is its result (closures, and functions
    /// written `func f(_ x) { x * 2 }`); in a builder closure the value is collected instead.
    /// A single `if` or `switch` whose branches are expressions is such an expression in a
    /// closure or a function that returns a value. `result` is the expression itself when the
    /// body is one (or a single `return` of one), so a call outside a builder can evaluate it
    /// without going through a statement's `Flow`.
    private func compileFunctionBody(_ body: [Stmt], isClosure: Bool, returnsValue: Bool)
        -> (body: Executor, result: Evaluator?)
    {
        if body.count == 1, isClosure || returnsValue,
            let expression = Compiler.conditionalExpression(body[0])
        {
            return compileFunctionBody(
                [Stmt(.expression(expression), body[0].range)], isClosure: isClosure,
                returnsValue: returnsValue)
        }
        if body.count == 1, case .returnStatement(let value?) = body[0].kind {
            let evaluate = compileExpression(value)
            return ({ frame throws(Failure) in .returned(try evaluate(frame)) }, evaluate)
        }
        if body.count == 1, case .expression(let expression) = body[0].kind {
            if case .assign = expression.kind {
            } else {
                let evaluate = compileExpression(expression)
                if isClosure {
                    let collecting: Executor = { frame throws(Failure) in
                        let value = try evaluate(frame)
                        if frame.context.collects {
                            if !value.isVoid { frame.context.collector?.append(value) }
                            return .normal
                        }
                        return .returned(value)
                    }
                    return (collecting, evaluate)
                }
                return ({ frame throws(Failure) in .returned(try evaluate(frame)) }, evaluate)
            }
        }
        return (compileBlock(body), nil)
    }

    /// Makes the function value at run time, collecting the boxes it captures.
    func functionMaker(
        _ code: FunctionCode, _ captures: [VariableRef], group: LocalFunctionGroup? = nil
    ) -> (Frame) -> CellFunction {
        if captures.isEmpty {
            let shared = CellFunction(code: code, captures: [], group: group)
            return { _ in shared }
        }
        return { frame in
            CellFunction(
                code: code,
                captures: captures.map { source in
                    switch source {
                    case .boxed(let index): return frame.box(index)
                    case .capture(let index): return frame.capture(index)
                    case .ownFunction(let reference): return Box(reference.function(in: frame))
                    case .local, .global: return Box(.void)
                    }
                }, group: group)
        }
    }

    // MARK: - Closures

    func compileClosure(_ closure: ClosureExpr, range: SourceRange) -> Evaluator {
        var parameters: [ParameterSource]
        var ignoresArguments = false
        if let declared = closure.parameters {
            parameters = declared.map {
                ParameterSource(label: nil, name: $0.name, type: $0.type)
            }
        } else {
            parameters = (0..<closure.dollarCount).map {
                ParameterSource(label: nil, name: "$\($0)", type: nil)
            }
            ignoresArguments = closure.dollarCount == 0
        }
        let (code, captures) = compileFunctionCode(
            name: "closure", kind: .closure, parameters: parameters, body: closure.body,
            returnType: closure.returnType, signatureText: "closure",
            ignoresArguments: ignoresArguments, sourceText: file.text(range.start..<range.end))
        let make = functionMaker(code, captures)
        return { frame throws(Failure) in .function(make(frame)) }
    }

    // MARK: - func declarations

    /// A `func` statement; `declared` is where its block already declared the name.
    func compileFunctionDeclaration(
        _ declaration: FunctionDecl, range: SourceRange, declared: VariableRef? = nil
    ) -> Executor {
        if declaration.name.isEmpty { return { frame throws(Failure) in .normal } }
        let ref = declared ?? declare(declaration.name, isLet: true)
        var isGlobal = false
        if case .global = ref { isGlobal = true }
        let (code, captures) = compileFunctionCode(
            name: declaration.name, kind: .function,
            parameters: declaration.parameters.map(parameterSource), body: declaration.body,
            returnType: declaration.returnType, signatureText: declaration.signatureText,
            documentation: declaration.documentation,
            ownName: isGlobal ? nil : declaration.name)
        return declarationExecutor(ref, functionMaker(code, captures))
    }

    /// Compiles one of the local functions of a block that declares several: the members of
    /// such a group share their captures and call one another without capturing one another
    /// (see `LocalFunctionGroup`). Each is compiled where it stands, so it sees the variables
    /// declared before it; `localFunctionGroupExecutors` makes them once all are compiled.
    func compileLocalFunctionGroupMember(
        _ declaration: FunctionDecl, of siblings: LocalFunctionSiblings
    ) -> FunctionCode {
        compileFunctionCode(
            name: declaration.name, kind: .function,
            parameters: declaration.parameters.map(parameterSource), body: declaration.body,
            returnType: declaration.returnType, signatureText: declaration.signatureText,
            documentation: declaration.documentation, ownName: declaration.name,
            siblings: siblings
        ).code
    }

    /// Makes the compiled members of a group when the block runs, each stored where the block
    /// declared its name.
    func localFunctionGroupExecutors(
        _ members: [(name: String, code: FunctionCode)], of siblings: LocalFunctionSiblings,
        declared: [String: VariableRef]
    ) -> [ExecutorBox] {
        // Every member captures what any of them does, known once all are compiled.
        let captures = siblings.captureList.entries.map(\.source)
        return members.map { member in
            let ref = declared[member.name] ?? declare(member.name, isLet: true)
            let make = functionMaker(member.code, captures, group: siblings.group)
            return ExecutorBox(call: declarationExecutor(ref, make))
        }
    }

    /// Stores a function value, made when the declaration runs, where its name was declared.
    private func declarationExecutor(_ ref: VariableRef, _ make: @escaping (Frame) -> CellFunction)
        -> Executor
    {
        switch ref {
        case .global(let address, _):
            return { frame throws(Failure) in
                address.pointee = .function(make(frame))
                return .normal
            }
        case .boxed(let index):
            return { frame throws(Failure) in
                // The box exists before the function, which may capture itself (recursion).
                frame.context.declare(index, .void)
                frame.context.boxes[index].value = .function(make(frame))
                return .normal
            }
        default:
            let store = assignmentStorer(ref)
            return { frame throws(Failure) in
                try store(frame, .function(make(frame)))
                return .normal
            }
        }
    }

    func parameterSource(_ parameter: ParameterDecl) -> ParameterSource {
        ParameterSource(
            label: parameter.label, name: parameter.name, type: parameter.type,
            defaultValue: parameter.defaultValue, isVariadic: parameter.isVariadic,
            isInout: parameter.isInout)
    }
}

/// What the compiler shares among the local functions of one block while compiling them: their
/// group, the references through which they name one another, and their one capture list.
struct LocalFunctionSiblings {
    let group = LocalFunctionGroup()
    let references: [String: FunctionCodeReference]
    let captureList = CaptureList()

    /// The siblings named `names`.
    init(names: [String]) {
        var references: [String: FunctionCodeReference] = [:]
        for name in names {
            let reference = FunctionCodeReference()
            reference.group = group
            references[name] = reference
        }
        self.references = references
    }
}
