/// if, guard, while, repeat, for-in, switch, break, continue, return.
extension Compiler {
    // MARK: - Conditions

    /// Compiles a condition list; optional bindings declare their names in the current scope.
    func compileConditions(_ conditions: [Condition]) -> (Frame) throws(Failure) -> Bool {
        var tests: [TestBox] = []
        for condition in conditions { tests.append(TestBox(call: compileCondition(condition))) }
        if tests.count == 1 { return tests[0].call }
        return { frame throws(Failure) in
            for test in tests where try !test.call(frame) { return false }
            return true
        }
    }

    private func compileCondition(_ condition: Condition) -> (Frame) throws(Failure) -> Bool {
        switch condition {
        case .expression(let expression):
            return compileTest(expression)
        case .optionalBinding(let isVar, let pattern, let value):
            let evaluate = compileExpression(value)
            let bind = compileBindingPattern(pattern, isLet: !isVar)
            return { frame throws(Failure) in
                let result = try evaluate(frame)
                if result.isNil { return false }
                try bind(frame, result)
                return true
            }
        case .patternMatch(let pattern, let value):
            let evaluate = compileExpression(value)
            let match = compileCasePattern(pattern)
            return { frame throws(Failure) in try match(frame, try evaluate(frame)) }
        }
    }

    /// Compiles an expression that must produce a Bool.
    func compileTest(_ expression: Expr) -> (Frame) throws(Failure) -> Bool {
        let evaluate = compileExpression(expression)
        let site = location(expression.range)
        return { frame throws(Failure) in
            let value = try evaluate(frame)
            guard case .bool(let test) = value else { throw Compiler.notBoolean(value, at: site) }
            return test
        }
    }

    static func notBoolean(_ value: Value, at site: SourceLocation) -> Failure {
        let hint: String
        switch value {
        case .int, .double: hint = "; test for '!= 0' instead"
        case .nilValue, .host, .structure, .array, .string:
            hint = "; test for '!= nil' or use 'if let'"
        default: hint = ""
        }
        return Failure(
            .typeMismatch("a value of type \(value.typeName) cannot be used as a condition" + hint),
            at: site)
    }

    // MARK: - if and guard

    func compileIf(_ statement: IfStatement) -> Executor {
        context.pushScope()
        let condition = compileConditions(statement.conditions)
        let thenBody = compileBlock(statement.thenBody)
        context.popScope()
        guard let elseStatements = statement.elseBody else {
            return { frame throws(Failure) in try condition(frame) ? try thenBody(frame) : .normal }
        }
        context.pushScope()
        let elseBody = compileBlock(elseStatements)
        context.popScope()
        return { frame throws(Failure) in
            try condition(frame) ? try thenBody(frame) : try elseBody(frame)
        }
    }

    func compileGuard(_ conditions: [Condition], _ elseBody: [Stmt], range: SourceRange) -> Executor
    {
        context.pushScope()
        let body = compileBlock(elseBody)
        context.popScope()
        let condition = compileConditions(conditions)
        let site = location(range)
        return { frame throws(Failure) in
            if try condition(frame) { return .normal }
            let flow = try body(frame)
            if case .normal = flow {
                throw Failure(
                    .invalidValue(
                        "the 'else' block of 'guard' must leave the scope with return, break or "
                            + "continue"), at: site)
            }
            return flow
        }
    }

    // MARK: - Loops

    func pushTarget(label: String?, isLoop: Bool) -> Int {
        nextTargetIdentifier += 1
        context.targets.append(
            FunctionContext.Target(identifier: nextTargetIdentifier, label: label, isLoop: isLoop))
        return nextTargetIdentifier
    }

    func compileWhile(label: String?, conditions: [Condition], body: [Stmt]) -> Executor {
        let identifier = pushTarget(label: label, isLoop: true)
        defer { context.targets.removeLast() }
        context.pushScope()
        let condition = compileConditions(conditions)
        let run = compileBlock(body)
        context.popScope()
        let flag = session.interruptFlag
        return { frame throws(Failure) in
            while try condition(frame) {
                if flag.isRaised { throw Failure(.interrupted, at: nil) }
                let flow = try run(frame)
                switch flow {
                case .normal: continue
                case .breakLoop(let target) where target == identifier: return .normal
                case .continueLoop(let target) where target == identifier: continue
                default: return flow
                }
            }
            return .normal
        }
    }

    func compileRepeat(label: String?, body: [Stmt], condition: Expr) -> Executor {
        let identifier = pushTarget(label: label, isLoop: true)
        defer { context.targets.removeLast() }
        context.pushScope()
        let run = compileBlock(body)
        context.popScope()
        let test = compileTest(condition)
        let flag = session.interruptFlag
        return { frame throws(Failure) in
            repeat {
                if flag.isRaised { throw Failure(.interrupted, at: nil) }
                let flow = try run(frame)
                switch flow {
                case .normal: break
                case .breakLoop(let target) where target == identifier: return .normal
                case .continueLoop(let target) where target == identifier: break
                default: return flow
                }
            } while try test(frame)
            return .normal
        }
    }

    func compileForIn(_ loop: ForInLoop) -> Executor {
        let sequence = compileExpression(loop.sequence)
        let sequenceSite = location(loop.sequence.range)
        let identifier = pushTarget(label: loop.label, isLoop: true)
        defer { context.targets.removeLast() }
        context.pushScope()
        defer { context.popScope() }
        var directSlot: Int?
        var bind: Binder = Compiler.ignoreBinding
        if case .name(let name) = loop.pattern.kind {
            let ref = context.declareLocal(name, isLet: true)
            if case .local(let slot) = ref { directSlot = slot }
            bind = declarationStorer(ref)
        } else {
            bind = compileBindingPattern(loop.pattern, isLet: true, forceLocal: true)
        }
        let filter = loop.whereClause.map { TestBox(call: compileTest($0)) }
        let run = compileBlock(loop.body)
        let session = self.session
        let flag = session.interruptFlag
        let site = location(loop.sequence.range)
        let fast = session.usesFastPaths
        return { frame throws(Failure) in
            let value = try sequence(frame)
            if fast, case .range(let range) = value, let bounds = range.intBounds {
                for index in bounds {
                    if flag.isRaised { throw Failure(.interrupted, at: site) }
                    if let slot = directSlot {
                        frame[slot] = .int(index)
                    } else {
                        try bind(frame, .int(index))
                    }
                    if let filter, try !filter.call(frame) { continue }
                    switch try run(frame) {
                    case .normal: continue
                    case .breakLoop(let target) where target == identifier: return .normal
                    case .continueLoop(let target) where target == identifier: continue
                    case let flow: return flow
                    }
                }
                return .normal
            }
            var iterator = try session.makeIterator(value, at: sequenceSite)
            while let element = try iterator.next() {
                if flag.isRaised { throw Failure(.interrupted, at: site) }
                try bind(frame, element)
                if let filter, try !filter.call(frame) { continue }
                switch try run(frame) {
                case .normal: continue
                case .breakLoop(let target) where target == identifier: return .normal
                case .continueLoop(let target) where target == identifier: continue
                case let flow: return flow
                }
            }
            return .normal
        }
    }

    // MARK: - switch

    func compileSwitch(_ statement: SwitchStatement) -> Executor {
        let subject = compileExpression(statement.subject)
        let subjectSite = location(statement.subject.range)
        let identifier = pushTarget(label: statement.label, isLoop: false)
        defer { context.targets.removeLast() }
        var cases: [(match: MatcherBox?, body: ExecutorBox)] = []
        for switchCase in statement.cases {
            context.pushScope()
            let matcher = compileCaseMatcher(switchCase)
            let body = ExecutorBox(call: compileBlock(switchCase.body))
            context.popScope()
            cases.append((matcher, body))
        }
        return { frame throws(Failure) in
            let value = try subject(frame)
            var index = 0
            while index < cases.count {
                if let match = cases[index].match, try !match.call(frame, value) {
                    index += 1
                    continue
                }
                var flow = try cases[index].body.call(frame)
                while case .fallthroughCase = flow, index + 1 < cases.count {
                    index += 1
                    flow = try cases[index].body.call(frame)
                }
                switch flow {
                case .breakLoop(let target) where target == identifier: return .normal
                case .fallthroughCase: return .normal
                default: return flow
                }
            }
            throw Failure(
                .invalidValue(
                    "no case of the switch matches \(value.debugText); add a 'default:' case"),
                at: subjectSite)
        }
    }

    /// Whether a value matches one of a case's patterns and its `where` clause; nil for
    /// `default:`. Compiled in the case's scope, which the patterns' bindings enter.
    func compileCaseMatcher(_ switchCase: SwitchCase) -> MatcherBox? {
        guard !switchCase.patterns.isEmpty else { return nil }
        let patterns = switchCase.patterns.map { MatcherBox(call: compileCasePattern($0)) }
        let guardTest = switchCase.guardExpression.map { TestBox(call: compileTest($0)) }
        return MatcherBox { frame, value throws(Failure) in
            for pattern in patterns where try pattern.call(frame, value) {
                if let guardTest { return try guardTest.call(frame) }
                return true
            }
            return false
        }
    }

    // MARK: - Jumps

    func compileJump(isBreak: Bool, label: String?, range: SourceRange) -> Executor {
        let word = isBreak ? "break" : "continue"
        let target = context.targets.last { target in
            if let label { return target.label == label }
            return isBreak || target.isLoop
        }
        guard let target else {
            if let label {
                problem(
                    .invalidValue("there is no loop labelled '\(label)' around this '\(word)'"),
                    at: range)
            } else {
                problem(.invalidValue("'\(word)' can only be used inside a loop"), at: range)
            }
            return { frame throws(Failure) in .normal }
        }
        if !isBreak, !target.isLoop {
            problem(.invalidValue("'continue' cannot target a switch"), at: range)
        }
        let identifier = target.identifier
        if isBreak { return { frame throws(Failure) in .breakLoop(identifier) } }
        return { frame throws(Failure) in .continueLoop(identifier) }
    }

    func compileReturn(_ value: Expr?, range: SourceRange) -> Executor {
        if context.isCell {
            problem(.invalidValue("'return' can only be used inside a function"), at: range)
        }
        guard let value else { return { frame throws(Failure) in .returned(.void) } }
        let evaluate = compileExpression(value)
        return { frame throws(Failure) in .returned(try evaluate(frame)) }
    }
}

/// Binds a value to the names of a pattern.
typealias Binder = (Frame, Value) throws(Failure) -> Void
/// Tests a value against a case pattern, binding its names when it matches.
typealias Matcher = (Frame, Value) throws(Failure) -> Bool
