/// Visits every expression of a syntax tree, for analyses such as "which names do nested
/// closures use" (the compiler boxes those variables).
struct SyntaxWalker {
    /// Called for every expression, with whether it is inside a nested closure or function.
    var visit: (Expr, _ nested: Bool) -> Void

    func walk(_ statements: [Stmt], nested: Bool) {
        for statement in statements { walk(statement, nested: nested) }
    }

    func walk(_ statement: Stmt, nested: Bool) {
        switch statement.kind {
        case .expression(let expression): walk(expression, nested: nested)
        case .binding(let declaration):
            for entry in declaration.entries {
                if let value = entry.value { walk(value, nested: nested) }
                if let accessors = entry.accessors {
                    walk(accessors.getter, nested: true)
                    if let setter = accessors.setter { walk(setter, nested: true) }
                }
            }
        case .function(let function):
            markName(function.name, nested: nested)
            walk(function.body, nested: true)
            for parameter in function.parameters {
                if let value = parameter.defaultValue { walk(value, nested: true) }
            }
        case .structure(let declaration): walk(declaration.members, nested: true)
        case .extensionDecl(let declaration): walk(declaration.members, nested: true)
        case .ifStatement(let statement): walkIf(statement, nested: nested)
        case .guardStatement(let conditions, let body):
            walk(conditions, nested: nested)
            walk(body, nested: nested)
        case .whileLoop(_, let conditions, let body):
            walk(conditions, nested: nested)
            walk(body, nested: nested)
        case .repeatWhile(_, let body, let condition):
            walk(body, nested: nested)
            walk(condition, nested: nested)
        case .forIn(let loop):
            walk(loop.sequence, nested: nested)
            if let clause = loop.whereClause { walk(clause, nested: nested) }
            walk(loop.body, nested: nested)
        case .switchStatement(let statement):
            walk(statement.subject, nested: nested)
            for switchCase in statement.cases {
                for pattern in switchCase.patterns { walk(pattern, nested: nested) }
                if let guardExpression = switchCase.guardExpression {
                    walk(guardExpression, nested: nested)
                }
                walk(switchCase.body, nested: nested)
            }
        case .returnStatement(let value):
            if let value { walk(value, nested: nested) }
        case .block(let body): walk(body, nested: nested)
        case .breakStatement, .continueStatement, .fallthroughStatement, .magic,
            .importDeclaration, .missing:
            break
        }
    }

    private func markName(_ name: String, nested: Bool) {
        visit(Expr(.identifier(name), SourceRange(0, 0)), nested)
    }

    private func walkIf(_ statement: IfStatement, nested: Bool) {
        walk(statement.conditions, nested: nested)
        walk(statement.thenBody, nested: nested)
        if let elseBody = statement.elseBody { walk(elseBody, nested: nested) }
    }

    private func walk(_ conditions: [Condition], nested: Bool) {
        for condition in conditions {
            switch condition {
            case .expression(let expression): walk(expression, nested: nested)
            case .optionalBinding(_, _, let value): walk(value, nested: nested)
            case .patternMatch(let pattern, let value):
                walk(pattern, nested: nested)
                walk(value, nested: nested)
            }
        }
    }

    private func walk(_ pattern: Pattern, nested: Bool) {
        switch pattern.kind {
        case .expression(let expression): walk(expression, nested: nested)
        case .tuple(let elements): for element in elements { walk(element, nested: nested) }
        case .binding(_, let inner), .optional(let inner): walk(inner, nested: nested)
        case .name, .wildcard, .isType: break
        }
    }

    func walk(_ expression: Expr, nested: Bool) {
        visit(expression, nested)
        switch expression.kind {
        case .string(let parts):
            for case .interpolation(let inner) in parts { walk(inner, nested: nested) }
        case .array(let elements): for element in elements { walk(element, nested: nested) }
        case .dictionary(let pairs):
            for pair in pairs {
                walk(pair.key, nested: nested)
                walk(pair.value, nested: nested)
            }
        case .tuple(let elements): for element in elements { walk(element.value, nested: nested) }
        case .prefix(_, let operand), .postfix(_, let operand), .inoutArgument(let operand),
            .optionalMarker(let operand), .optionalChain(let operand), .tryExpr(let operand):
            walk(operand, nested: nested)
        case .cast(let operand, _, _): walk(operand, nested: nested)
        case .binary(_, let lhs, let rhs), .assign(_, let lhs, let rhs):
            walk(lhs, nested: nested)
            walk(rhs, nested: nested)
        case .ternary(let condition, let then, let otherwise):
            walk(condition, nested: nested)
            walk(then, nested: nested)
            walk(otherwise, nested: nested)
        case .call(let callee, let arguments), .subscriptAccess(let callee, let arguments):
            walk(callee, nested: nested)
            for argument in arguments { walk(argument.value, nested: nested) }
        case .member(let base, _, _): walk(base, nested: nested)
        case .closure(let closure): walk(closure.body, nested: true)
        case .ifExpression(let statement): walkIf(statement, nested: nested)
        case .switchExpression(let statement):
            walk(Stmt(.switchStatement(statement), expression.range), nested: nested)
        case .integer, .float, .bool, .nilLiteral, .identifier, .dollar, .implicitMember,
            .operatorReference, .missing:
            break
        }
    }
}

extension SyntaxWalker {
    /// Names that closures and functions nested in `body` refer to, plus `self` when there is
    /// any nested function (a method's closures may use members implicitly).
    static func namesUsedInNestedFunctions(_ body: [Stmt], parameters: [Expr] = []) -> Set<String> {
        var names: Set<String> = []
        var sawNested = false
        let walker = SyntaxWalker { expression, nested in
            guard nested else { return }
            sawNested = true
            if case .identifier(let name) = expression.kind { names.insert(name) }
        }
        walker.walk(body, nested: false)
        for parameter in parameters { walker.walk(parameter, nested: true) }
        if sawNested { names.insert("self") }
        return names
    }
}
