/// Compiles a parsed cell into a tree of Swift closures, once per cell: names are resolved to
/// slots, boxes or global addresses here, so running the closures does no lookups by name
/// (the technique of closure compilation; see Feeley and Lapalme, "Using closures for code
/// generation", Computer Languages 12(1), 1987).
final class Compiler {
    let session: Session
    let file: SourceFile
    var context: FunctionContext
    /// Problems found while compiling; the cell does not run when there are any.
    var problems: [(error: CellError, range: SourceRange)] = []
    var nextTargetIdentifier = 0
    /// The member names of the structs this cell declares, for its extensions of them (whose
    /// methods then reach the members without `self.`, before the struct exists at run time).
    var declaredStructMembers: [String: Set<String>] = [:]
    /// Runs magics (`%time`, `%who`, …); supplied by the interpreter.
    let magicRunner: MagicRunner?

    init(session: Session, file: SourceFile, magicRunner: MagicRunner?) {
        self.session = session
        self.file = file
        self.magicRunner = magicRunner
        self.context = FunctionContext(
            parent: nil, kind: .cell, name: "<cell>", capturedNames: [])
    }

    /// The source location of a range of this cell.
    func location(_ range: SourceRange) -> SourceLocation {
        SourceLocation(file: file, range: range)
    }

    func problem(_ error: CellError, at range: SourceRange) {
        problems.append((error, range))
    }

    // MARK: - Cells

    /// Compiles the statements of a cell. The last expression statement, unless followed by
    /// `;`, becomes the cell's result.
    func compileCell(_ statements: [Stmt]) -> CompiledCell {
        context = FunctionContext(
            parent: nil, kind: .cell, name: "<cell>",
            capturedNames: SyntaxWalker.namesUsedInNestedFunctions(statements))
        // Functions declared at the top level are visible in the whole cell (and run first).
        var hoisted: [ExecutorBox] = []
        for statement in statements {
            if case .function(let declaration) = statement.kind {
                session.globals.setMutability(of: declaration.name, isLet: true)
            }
            if case .structure(let declaration) = statement.kind {
                _ = session.globals.entry(for: declaration.name)
            }
        }
        var steps: [CompiledStep] = []
        for (index, statement) in statements.enumerated() {
            let isLast = index == statements.count - 1
            if case .function(let declaration) = statement.kind {
                hoisted.append(
                    ExecutorBox(
                        call: compileFunctionDeclaration(declaration, range: statement.range)))
                continue
            }
            if isLast, !statement.endsWithSemicolon {
                if case .expression(let expression) = statement.kind {
                    steps.append(
                        CompiledStep(result: compileExpression(expression), range: statement.range))
                    continue
                }
                if case .magic(let name, let argument, let start, let isCell) = statement.kind {
                    steps.append(
                        CompiledStep(
                            result: compileMagic(name, argument, start, isCell, statement.range),
                            range: statement.range))
                    continue
                }
            }
            steps.append(
                CompiledStep(executor: compileStatement(statement), range: statement.range))
        }
        return CompiledCell(
            hoisted: hoisted, steps: steps, slotCount: context.slotCount,
            boxCount: context.boxCount)
    }

    // MARK: - Statements

    func compileStatement(_ statement: Stmt) -> Executor {
        let range = statement.range
        switch statement.kind {
        case .expression(let expression):
            return compileExpressionStatement(expression)
        case .binding(let declaration):
            return compileBinding(declaration, range: range)
        case .function(let declaration):
            return compileFunctionDeclaration(declaration, range: range)
        case .structure(let declaration):
            return compileStruct(declaration, range: range)
        case .extensionDecl(let declaration):
            return compileExtension(declaration, range: range)
        case .ifStatement(let statement):
            return compileIf(statement)
        case .guardStatement(let conditions, let elseBody):
            return compileGuard(conditions, elseBody, range: range)
        case .whileLoop(let label, let conditions, let body):
            return compileWhile(label: label, conditions: conditions, body: body)
        case .repeatWhile(let label, let body, let condition):
            return compileRepeat(label: label, body: body, condition: condition)
        case .forIn(let loop):
            return compileForIn(loop)
        case .switchStatement(let statement):
            return compileSwitch(statement)
        case .breakStatement(let label):
            return compileJump(isBreak: true, label: label, range: range)
        case .continueStatement(let label):
            return compileJump(isBreak: false, label: label, range: range)
        case .returnStatement(let value):
            return compileReturn(value, range: range)
        case .fallthroughStatement:
            return { frame throws(Failure) in .fallthroughCase }
        case .block(let body):
            context.pushScope()
            defer { context.popScope() }
            return compileBlock(body)
        case .magic(let name, let argument, let start, let isCell):
            let run = compileMagic(name, argument, start, isCell, range)
            return { frame throws(Failure) in
                _ = try run(frame)
                return .normal
            }
        case .importDeclaration:
            return { frame throws(Failure) in .normal }
        case .missing:
            problem(.typeMismatch("incomplete statement"), at: range)
            return { frame throws(Failure) in .normal }
        }
    }

    /// An expression used as a statement: its value is dropped, except in a builder closure,
    /// which collects it.
    private func compileExpressionStatement(_ expression: Expr) -> Executor {
        if case .assign(let op, let target, let value) = expression.kind {
            let assign = compileAssignment(op, target, value, range: expression.range)
            return { frame throws(Failure) in
                try assign(frame)
                return .normal
            }
        }
        let evaluate = compileExpression(expression)
        if case .closure = context.kind {
            return { frame throws(Failure) in
                let value = try evaluate(frame)
                if frame.context.collects, !value.isVoid {
                    frame.context.collector?.append(value)
                }
                return .normal
            }
        }
        return { frame throws(Failure) in
            _ = try evaluate(frame)
            return .normal
        }
    }

    /// A sequence of statements, stopping at the first jump.
    func compileBlock(_ statements: [Stmt]) -> Executor {
        var hoisted: [ExecutorBox] = []
        var executors: [ExecutorBox] = []
        let firstBox = context.boxCount
        // A block's local functions are declared before any is compiled, so that they can
        // call each other (mutual recursion), as in Swift.
        var localFunctions: [String: VariableRef] = [:]
        var declarations: [FunctionDecl] = []
        if !context.declaresGlobals {
            for statement in statements {
                if case .function(let declaration) = statement.kind, !declaration.name.isEmpty {
                    localFunctions[declaration.name] = declare(declaration.name, isLet: true)
                    declarations.append(declaration)
                }
            }
        }
        // Two or more (differently named) local functions form a group, which lets them call
        // one another without a reference cycle.
        let siblings =
            localFunctions.count >= 2 && localFunctions.count == declarations.count
            ? LocalFunctionSiblings(names: declarations.map(\.name)) : nil
        var members: [(name: String, code: FunctionCode)] = []
        for statement in statements {
            if case .function(let declaration) = statement.kind, !context.declaresGlobals {
                if let siblings, !declaration.name.isEmpty {
                    members.append(
                        (
                            declaration.name,
                            compileLocalFunctionGroupMember(declaration, of: siblings)
                        ))
                    continue
                }
                hoisted.append(
                    ExecutorBox(
                        call: compileFunctionDeclaration(
                            declaration, range: statement.range,
                            declared: localFunctions[declaration.name])))
            } else {
                executors.append(ExecutorBox(call: compileStatement(statement)))
            }
        }
        if let siblings {
            hoisted += localFunctionGroupExecutors(
                members, of: siblings, declared: localFunctions)
        }
        let boxes = firstBox..<context.boxCount
        if !hoisted.isEmpty, !boxes.isEmpty {
            // Local functions are made first and capture the boxes of the block's variables:
            // pending ones, which the declarations fill (fresh each time a loop body runs).
            hoisted.insert(
                ExecutorBox(call: { frame throws(Failure) in
                    for index in boxes { frame.context.boxes[index] = Box(.void, isPending: true) }
                    return .normal
                }), at: 0)
        }
        let all = hoisted + executors
        switch all.count {
        case 0: return { frame throws(Failure) in .normal }
        case 1: return all[0].call
        case 2:
            let first = all[0].call
            let second = all[1].call
            return { frame throws(Failure) in
                let flow = try first(frame)
                if case .normal = flow { return try second(frame) }
                return flow
            }
        default:
            return { frame throws(Failure) in
                for executor in all {
                    let flow = try executor.call(frame)
                    if case .normal = flow { continue }
                    return flow
                }
                return .normal
            }
        }
    }

    /// Compiles a magic line into a call of the interpreter's magic runner.
    private func compileMagic(
        _ name: String, _ argument: String, _ start: Int, _ isCell: Bool, _ range: SourceRange
    ) -> Evaluator {
        let site = location(range)
        guard let magicRunner else {
            return { frame throws(Failure) in
                throw Failure(.invalidValue("magics cannot be used here"), at: site)
            }
        }
        var invocation = MagicInvocation(
            name: name, argument: argument, argumentStart: start, isCell: isCell, file: file,
            site: site)
        // `%time` / `%timeit` inside a function, loop or other block time code that uses the
        // block's names (as IPython's do with a loop's variables): the code is compiled here,
        // in the enclosing scope, and run on the block's frame. At the top of a cell it is
        // compiled by the magic as a cell of its own (its declarations become globals).
        guard !isCell, !context.declaresGlobals, name == "time" || name == "timeit" else {
            return { frame throws(Failure) in try magicRunner(invocation) }
        }
        if name == "timeit" {
            let (options, trimmed) = TimeitOptions.parse(invocation)
            invocation = trimmed
            invocation.timeitOptions = options
        }
        var parser = Parser(
            file: file,
            range: invocation.argumentStart..<invocation.argumentStart
                + invocation.argument.unicodeScalars.count)
        let statements = parser.parseStatements(until: { _ in false })
        if let diagnostic = parser.diagnostics.first {
            let error = Failure(
                .syntax(diagnostic.message),
                at: SourceLocation(file: file, range: diagnostic.range))
            return { frame throws(Failure) in throw error }
        }
        let body: Evaluator
        if statements.count == 1, case .expression(let expression) = statements[0].kind {
            body = compileExpression(expression)
        } else {
            let block = compileBlock(statements)
            body = { frame throws(Failure) in
                _ = try block(frame)
                return .void
            }
        }
        let compiled = invocation
        return { frame throws(Failure) in
            var run = compiled
            run.body = { () throws(Failure) -> Value in try body(frame) }
            return try magicRunner(run)
        }
    }
}

/// A magic line as the compiler found it.
struct MagicInvocation {
    let name: String
    let argument: String
    let argumentStart: Int
    let isCell: Bool
    let file: SourceFile
    let site: SourceLocation
    /// The code of a `%time` / `%timeit` line inside a block, compiled in the block's scope
    /// and bound to its frame (nil: the magic compiles its code as a cell of its own).
    var body: (() throws(Failure) -> Value)? = nil
    /// `%timeit`'s options, when the compiler already parsed them (with `body`).
    var timeitOptions: TimeitOptions? = nil
}

/// Runs a magic and returns its value (shown as the cell's result when it is last).
typealias MagicRunner = (MagicInvocation) throws(Failure) -> Value

/// One top-level statement of a compiled cell.
struct CompiledStep {
    var executor: ExecutorBox?
    /// For the last expression: its value is the cell's result.
    var result: EvaluatorBox?
    var range: SourceRange

    init(executor: @escaping Executor, range: SourceRange) {
        self.executor = ExecutorBox(call: executor)
        self.range = range
    }

    init(result: @escaping Evaluator, range: SourceRange) {
        self.result = EvaluatorBox(call: result)
        self.range = range
    }
}

/// A cell ready to run.
struct CompiledCell {
    /// Top-level function declarations, run before anything else.
    var hoisted: [ExecutorBox]
    var steps: [CompiledStep]
    var slotCount: Int
    var boxCount: Int

    /// Runs the cell in a frame of its own; returns the value of its last expression, if any.
    func run(in session: Session) throws(Failure) -> Value? {
        try session.withFrame(count: slotCount, captures: [], boxCount: boxCount) {
            frame throws(Failure) in
            for declare in hoisted { _ = try declare.call(frame) }
            var result: Value?
            for step in steps {
                if let executor = step.executor {
                    _ = try executor.call(frame)
                } else if let evaluate = step.result {
                    result = try evaluate.call(frame)
                }
            }
            return result
        }
    }
}
