/// `if` and `switch` used as expressions (Swift 5.9, SE-0380): as a value
/// (`let x = if c { 1 } else { 2 }`), and as the whole body of a function or closure, whose
/// result they are. Each branch is a single expression; an `if` needs an `else`.
extension Compiler {
    /// Compiles `if … { a } else { b }` used as a value.
    func compileIfExpression(_ statement: IfStatement, range: SourceRange) -> Evaluator {
        guard let elseBody = statement.elseBody else {
            problem(
                .invalidValue("an 'if' used as a value needs an 'else' branch"), at: range)
            return { frame throws(Failure) in .void }
        }
        context.pushScope()
        let condition = compileConditions(statement.conditions)
        let thenValue = compileBranchValue(statement.thenBody, of: "if", range: range)
        context.popScope()
        context.pushScope()
        let elseValue = compileBranchValue(elseBody, of: "if", range: range)
        context.popScope()
        return { frame throws(Failure) in
            try condition(frame) ? try thenValue(frame) : try elseValue(frame)
        }
    }

    /// Compiles `switch subject { case …: a default: b }` used as a value.
    func compileSwitchExpression(_ statement: SwitchStatement, range: SourceRange) -> Evaluator {
        let subject = compileExpression(statement.subject)
        let subjectSite = location(statement.subject.range)
        var cases: [(match: MatcherBox?, value: EvaluatorBox)] = []
        for switchCase in statement.cases {
            context.pushScope()
            let matcher = compileCaseMatcher(switchCase)
            let value = compileBranchValue(switchCase.body, of: "switch", range: switchCase.range)
            context.popScope()
            cases.append((matcher, EvaluatorBox(call: value)))
        }
        return { frame throws(Failure) in
            let value = try subject(frame)
            for (match, result) in cases {
                if let match, try !match.call(frame, value) { continue }
                return try result.call(frame)
            }
            throw Failure(
                .invalidValue(
                    "no case of the switch matches \(value.debugText); add a 'default:' case"),
                at: subjectSite)
        }
    }

    /// The value of one branch: its single expression, or a nested `if`/`switch` expression
    /// (`else if`).
    private func compileBranchValue(_ body: [Stmt], of keyword: String, range: SourceRange)
        -> Evaluator
    {
        if body.count == 1, let expression = Compiler.branchExpression(body[0]) {
            return compileExpression(expression)
        }
        problem(
            .invalidValue(
                "each branch of a '\(keyword)' used as a value must be a single expression"),
            at: body.first?.range ?? range)
        return { frame throws(Failure) in .void }
    }

    /// The expression a branch statement stands for, if it is one.
    private static func branchExpression(_ statement: Stmt) -> Expr? {
        switch statement.kind {
        case .expression(let expression):
            if case .assign = expression.kind { return nil }
            return expression
        case .ifStatement, .switchStatement:
            return conditionalExpression(statement)
        default:
            return nil
        }
    }

    /// A function or closure body's single `if` or `switch` statement as the expression that
    /// is its result, when every branch is a single expression (and an `if` has an `else`);
    /// nil otherwise (it then runs as a statement).
    static func conditionalExpression(_ statement: Stmt) -> Expr? {
        switch statement.kind {
        case .ifStatement(let ifStatement):
            guard let elseBody = ifStatement.elseBody,
                isSingleExpression(ifStatement.thenBody), isSingleExpression(elseBody)
            else { return nil }
            return Expr(.ifExpression(ifStatement), statement.range)
        case .switchStatement(let switchStatement):
            guard switchStatement.label == nil, !switchStatement.cases.isEmpty,
                switchStatement.cases.allSatisfy({ isSingleExpression($0.body) })
            else { return nil }
            return Expr(.switchExpression(switchStatement), statement.range)
        default:
            return nil
        }
    }

    private static func isSingleExpression(_ body: [Stmt]) -> Bool {
        body.count == 1 && branchExpression(body[0]) != nil
    }
}
