/// Statements, blocks and control flow.
extension Parser {
    /// Parses statements until `isTerminator` says stop (or the cell ends).
    mutating func parseStatements(until isTerminator: (Token) -> Bool) -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            while consume(.semicolon) {}
            if atEnd || isTerminator(current) { break }
            let startIndex = index
            var statement = parseStatement()
            if consume(.semicolon) {
                statement.endsWithSemicolon = true
            } else if !atStatementBoundary, !isTerminator(current), index != startIndex {
                error("consecutive statements on a line must be separated by ';'")
            }
            if index == startIndex {
                if check(.rightBrace) {
                    error("unexpected '}'; there is no open block to close")
                } else if check(.rightParen) || check(.rightBracket) {
                    error("unexpected \(current.kind.spelling) with no matching opening bracket")
                }
                advance()
            }
            statements.append(statement)
        }
        return statements
    }

    /// Parses `{ statements }`; `context` names what the block belongs to, for diagnostics.
    mutating func parseBlock(after context: String) -> [Stmt] {
        guard check(.leftBrace) else {
            error("expected '{' after \(context)")
            return []
        }
        let open = advance()
        guard enter() else {
            skipBalancedBraces()
            return []
        }
        defer { leave() }
        let saved = allowsTrailingClosure
        allowsTrailingClosure = true
        defer { allowsTrailingClosure = saved }
        let body = parseStatements(until: { $0.kind == .punctuation(.rightBrace) })
        if !consume(.rightBrace) {
            error(
                "expected '}' to close the block opened at line "
                    + "\(file.lineAndColumn(of: open.range.start).line)",
                at: current.range, atEndOfInput: atEnd)
        }
        return body
    }

    /// Skips to just after the `}` matching an already consumed `{` (used past the depth limit).
    mutating func skipBalancedBraces() {
        var open = 1
        while !atEnd, open > 0 {
            if check(.leftBrace) { open += 1 }
            if check(.rightBrace) { open -= 1 }
            advance()
        }
    }

    mutating func parseStatement() -> Stmt {
        let start = current.range.start
        guard enter() else {
            advance()
            return Stmt(.missing, SourceRange(start, start))
        }
        defer { leave() }
        let kind = parseStatementKind()
        return Stmt(kind, SourceRange(start, max(start, previousEnd)))
    }

    private mutating func parseStatementKind() -> StmtKind {
        switch current.kind {
        case .keyword(let keyword):
            if let statement = parseKeywordStatement(keyword) { return statement }
        case .punctuation(.at):
            skipAttribute()
            return parseStatementKind()
        case .identifier(let name) where token(after: 1).kind == .punctuation(.colon):
            if case .keyword(let loop) = token(after: 2).kind,
                [.for, .while, .repeat, .switch].contains(loop)
            {
                advance()
                advance()
                return parseLabelledStatement(label: name)
            }
        case .identifier("class"):
            if case .identifier = token(after: 1).kind, !token(after: 1).newlineBefore {
                error(
                    "'class' declarations are not part of the cell language; use a struct "
                        + "(cells have value types only)")
                advance()
                return .missing
            }
        case .magic(let name, let argument, let argumentStart, let isCell):
            advance()
            return .magic(
                name: name, argument: argument, argumentStart: argumentStart, isCell: isCell)
        default:
            break
        }
        let expression = parseExpression()
        return .expression(expression)
    }

    private mutating func parseKeywordStatement(_ keyword: Keyword) -> StmtKind? {
        switch keyword {
        case .let, .var: return .binding(parseBindingDecl(isStatic: false))
        case .func: return .function(parseFunction(isMutating: false, isStatic: false))
        case .struct: return .structure(parseStruct())
        case .extension: return .extensionDecl(parseExtension())
        case .if: return .ifStatement(parseIf())
        case .guard: return parseGuard()
        case .while, .repeat, .for, .switch: return parseLabelledStatement(label: nil)
        case .break, .continue:
            advance()
            var label: String?
            if case .identifier(let name) = current.kind, !current.newlineBefore {
                label = name
                advance()
            }
            return keyword == .break
                ? .breakStatement(label: label) : .continueStatement(label: label)
        case .return:
            advance()
            if atStatementBoundary || check(.case) || check(.default) {
                return .returnStatement(nil)
            }
            return .returnStatement(parseExpression())
        case .fallthrough:
            advance()
            return .fallthroughStatement
        case .do:
            advance()
            return .block(parseBlock(after: "'do'"))
        case .import:
            advance()
            var name = ""
            while case .identifier(let part) = current.kind, !current.newlineBefore {
                name += part
                advance()
                if check(.dot) { advance() } else { break }
            }
            return .importDeclaration(name)
        case .private, .fileprivate, .public, .internal, .final:
            advance()
            return parseStatementKind()
        case .mutating, .static:
            return parseModifiedDeclaration()
        case .`init`:
            advance()
            return .function(parseFunctionRest(isMutating: true, isStatic: false, init: true))
        case .protocol, .enum:
            error(
                "'\(keyword.rawValue)' declarations are not part of the cell language; "
                    + "use a struct, or a library protocol by name")
            advance()
            return .missing
        default:
            return nil
        }
    }

    private mutating func parseModifiedDeclaration() -> StmtKind {
        var isMutating = false
        var isStatic = false
        while true {
            if consume(.mutating) {
                isMutating = true
            } else if consume(.static) {
                isStatic = true
            } else if check(.private) || check(.public) || check(.final) || check(.internal)
                || check(.fileprivate)
            {
                advance()
            } else {
                break
            }
        }
        if check(.func) {
            return .function(parseFunction(isMutating: isMutating, isStatic: isStatic))
        }
        if check(.let) || check(.var) { return .binding(parseBindingDecl(isStatic: isStatic)) }
        error("expected 'func', 'let' or 'var' after a declaration modifier")
        return .missing
    }

    /// Skips an attribute (`@discardableResult`, `@escaping`, `@available(…)`): the cell
    /// language has no use for any.
    mutating func skipAttribute() {
        advance()
        if case .identifier = current.kind { advance() }
        if check(.leftParen), !current.spaceBefore {
            var open = 0
            repeat {
                if check(.leftParen) { open += 1 }
                if check(.rightParen) { open -= 1 }
                advance()
            } while open > 0 && !atEnd
        }
    }

    private mutating func parseLabelledStatement(label: String?) -> StmtKind {
        switch current.kind {
        case .keyword(.while):
            advance()
            let conditions = parseConditions(context: "'while' condition")
            return .whileLoop(
                label: label, conditions: conditions, body: parseBlock(after: "'while' condition"))
        case .keyword(.repeat):
            advance()
            let body = parseBlock(after: "'repeat'")
            guard consume(.while) else {
                error("expected 'while' after the 'repeat' block")
                return .repeatWhile(label: label, body: body, condition: .missing(at: previousEnd))
            }
            return .repeatWhile(label: label, body: body, condition: parseExpression())
        case .keyword(.for):
            return .forIn(parseForIn(label: label))
        case .keyword(.switch):
            return .switchStatement(parseSwitch(label: label))
        default:
            error("expected a loop or 'switch' after the label '\(label ?? "")'")
            return .missing
        }
    }

    // MARK: - Conditions

    /// Parses `cond, let x = y, case p = z` up to the `{` of the body.
    mutating func parseConditions(context: String) -> [Condition] {
        let saved = allowsTrailingClosure
        allowsTrailingClosure = false
        defer { allowsTrailingClosure = saved }
        var conditions: [Condition] = []
        repeat {
            let startIndex = index
            conditions.append(parseCondition())
            if index == startIndex { break }
        } while consume(.comma)
        return conditions
    }

    private mutating func parseCondition() -> Condition {
        if check(.let) || check(.var) {
            let isVar = advance().kind == .keyword(.var)
            let pattern = parseBindingPattern()
            if check(.colon) {
                advance()
                _ = parseType()
            }
            guard consumeOperator("=") else {
                if case .name(let name) = pattern.kind {
                    return .optionalBinding(
                        isVar: isVar, pattern: pattern,
                        value: Expr(.identifier(name), pattern.range))
                }
                error("expected '=' and a value after the 'let' pattern")
                return .expression(.missing(at: previousEnd))
            }
            return .optionalBinding(isVar: isVar, pattern: pattern, value: parseExpression())
        }
        if consume(.case) {
            let pattern = parseCasePattern()
            guard consumeOperator("=") else {
                error("expected '=' and a value after the 'case' pattern")
                return .patternMatch(pattern: pattern, value: .missing(at: previousEnd))
            }
            return .patternMatch(pattern: pattern, value: parseExpression())
        }
        return .expression(parseExpression())
    }

    // MARK: - if, guard, for, switch

    mutating func parseIf() -> IfStatement {
        advance()
        let conditions = parseConditions(context: "'if' condition")
        let thenBody = parseBlock(after: "'if' condition")
        var elseBody: [Stmt]?
        if consume(.else) {
            if check(.if) {
                let start = current.range.start
                let nested = parseIf()
                elseBody = [Stmt(.ifStatement(nested), SourceRange(start, previousEnd))]
            } else {
                elseBody = parseBlock(after: "'else'")
            }
        }
        return IfStatement(conditions: conditions, thenBody: thenBody, elseBody: elseBody)
    }

    private mutating func parseGuard() -> StmtKind {
        advance()
        let conditions = parseConditions(context: "'guard' condition")
        guard consume(.else) else {
            error("expected 'else' after 'guard' condition")
            return .guardStatement(conditions: conditions, elseBody: [])
        }
        return .guardStatement(conditions: conditions, elseBody: parseBlock(after: "'else'"))
    }

    private mutating func parseForIn(label: String?) -> ForInLoop {
        advance()
        _ = consume(.case)
        let pattern = parseBindingPattern()
        var sequence = Expr.missing(at: previousEnd)
        var whereClause: Expr?
        if consume(.in) {
            let saved = allowsTrailingClosure
            allowsTrailingClosure = false
            sequence = parseExpression()
            if consume(.where) { whereClause = parseExpression() }
            allowsTrailingClosure = saved
        } else {
            error("expected 'in' after the 'for' pattern")
        }
        return ForInLoop(
            label: label, pattern: pattern, sequence: sequence, whereClause: whereClause,
            body: parseBlock(after: "'for' sequence"))
    }

    mutating func parseSwitch(label: String?) -> SwitchStatement {
        advance()
        let saved = allowsTrailingClosure
        allowsTrailingClosure = false
        let subject = parseExpression()
        allowsTrailingClosure = saved
        var cases: [SwitchCase] = []
        guard consume(.leftBrace) else {
            error("expected '{' after 'switch' subject")
            return SwitchStatement(label: label, subject: subject, cases: [])
        }
        let isCaseEnd: (Token) -> Bool = {
            [.keyword(.case), .keyword(.default), .punctuation(.rightBrace)].contains($0.kind)
        }
        while !atEnd, !check(.rightBrace) {
            let start = current.range.start
            var patterns: [Pattern] = []
            var guardExpression: Expr?
            if consume(.default) {
                // `default:` has no patterns.
            } else if consume(.case) {
                repeat {
                    patterns.append(parseCasePattern())
                } while consume(.comma)
                if consume(.where) { guardExpression = parseExpression() }
            } else {
                error("expected 'case' or 'default' in the 'switch' body")
                advance()
                continue
            }
            expect(.colon, "expected ':' after the case pattern")
            let body = parseStatements(until: isCaseEnd)
            cases.append(
                SwitchCase(
                    patterns: patterns, guardExpression: guardExpression, body: body,
                    range: SourceRange(start, previousEnd)))
        }
        if !consume(.rightBrace) {
            error("expected '}' to close the 'switch'", at: current.range, atEndOfInput: atEnd)
        }
        return SwitchStatement(label: label, subject: subject, cases: cases)
    }
}
