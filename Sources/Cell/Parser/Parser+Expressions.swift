/// Binary, prefix and postfix expressions (one method per level, Pratt-style for infix).
extension Parser {
    mutating func parseExpression() -> Expr {
        guard enter() else {
            let start = current.range.start
            advance()
            return .missing(at: start)
        }
        defer { leave() }
        return parseInfix(above: .assignment)
    }

    /// Parses an infix chain whose operators bind at least as tightly as `minimum`.
    mutating func parseInfix(above minimum: PrecedenceGroup) -> Expr {
        var lhs = parseUnary()
        var links = 0
        defer { depth -= links }
        var previousGroup: PrecedenceGroup?
        while let (op, group) = infixOperatorHere(), group >= minimum {
            // Each link deepens the (left-leaning) tree, so it counts as nesting.
            guard enter() else { break }
            links += 1
            if let previous = previousGroup, previous == group, group.isNonAssociative {
                error(
                    "adjacent '\(op)' operators do not chain; use parentheses or '&&'",
                    at: current.range)
            }
            previousGroup = group
            lhs = parseInfixRest(lhs: lhs, op: op, group: group)
        }
        return lhs
    }

    private mutating func parseInfixRest(lhs: Expr, op: String, group: PrecedenceGroup) -> Expr {
        let opToken = advance()
        switch group {
        case .ternary:
            let then = parseInfix(above: .assignment)
            guard consume(.colon) else {
                error("expected ':' after the '?' branch of the conditional expression")
                return Expr(
                    .ternary(condition: lhs, then: then, otherwise: .missing(at: previousEnd)),
                    lhs.range.union(then.range))
            }
            let otherwise = parseInfix(above: .ternary)
            return Expr(
                .ternary(condition: lhs, then: then, otherwise: otherwise),
                lhs.range.union(otherwise.range))
        case .casting:
            var kind = CastKind.isType
            if opToken.kind == .keyword(.as) {
                kind = .coerce
                if !current.spaceBefore, consumeOperator("?") {
                    kind = .conditional
                } else if !current.spaceBefore, consumeOperator("!") {
                    kind = .forced
                }
            }
            let type = parseType()
            return Expr(.cast(operand: lhs, kind: kind, type: type), lhs.range.union(type.range))
        default:
            let next: PrecedenceGroup? =
                group.isRightAssociative ? group : PrecedenceGroup(rawValue: group.rawValue + 1)
            let rhs = parseOperand(after: opToken, above: next ?? .shift)
            let range = lhs.range.union(rhs.range)
            if group == .assignment {
                return Expr(.assign(op: op, target: lhs, value: rhs), range)
            }
            return Expr(.binary(op: op, lhs: lhs, rhs: rhs), range)
        }
    }

    private mutating func parseOperand(after opToken: Token, above group: PrecedenceGroup) -> Expr {
        if atEnd || check(.rightParen) || check(.rightBracket) || check(.rightBrace)
            || check(.comma)
        {
            error(
                "expected an expression after the operator \(opToken.kind.spelling)",
                at: current.range, atEndOfInput: atEnd)
            return .missing(at: opToken.range.end)
        }
        return parseInfix(above: group)
    }

    /// The infix operator at the current token, if it continues the expression.
    private func infixOperatorHere() -> (String, PrecedenceGroup)? {
        let token = current
        switch token.kind {
        case .keyword(.is), .keyword(.as):
            return ("as", .casting)
        case .op(let op):
            guard let group = PrecedenceGroup.of(op) else { return nil }
            let bothSidesAlike = token.spaceBefore == token.spaceAfter
            switch op {
            case "?":
                // `x?` without a space is optional chaining, handled as a postfix.
                return token.spaceBefore ? (op, group) : nil
            case "...", "..<", "&":
                return bothSidesAlike ? (op, group) : nil
            case "-", "+":
                if token.newlineBefore, !token.spaceAfter { return nil }
                return (op, group)
            default:
                return (op, group)
            }
        default:
            return nil
        }
    }

    // MARK: - Prefix

    mutating func parseUnary() -> Expr {
        let start = current.range.start
        switch current.kind {
        case .op(let op):
            let next = token(after: 1).kind
            if [.punctuation(.rightParen), .punctuation(.comma)].contains(next), op != "&" {
                advance()
                return Expr(.operatorReference(op), SourceRange(start, previousEnd))
            }
            guard ["-", "+", "!", "~", "...", "..<", "&"].contains(op) else {
                error("'\(op)' is not a prefix operator")
                advance()
                return parseUnary()
            }
            advance()
            guard enter() else { return .missing(at: start) }
            defer { leave() }
            let operand = parseUnary()
            let range = SourceRange(start, operand.range.end)
            if op == "-", case .integer(let value) = operand.kind {
                return Expr(.integer(0 &- value), range)
            }
            if op == "-", case .float(let value) = operand.kind {
                return Expr(.float(-value), range)
            }
            if op == "&" { return Expr(.inoutArgument(operand), range) }
            return Expr(.prefix(op: op, operand: operand), range)
        case .keyword(.try):
            advance()
            if !current.spaceBefore, checkOperator("?") || checkOperator("!") { advance() }
            let operand = parseUnary()
            return Expr(.tryExpr(operand), SourceRange(start, operand.range.end))
        default:
            return parsePostfix(parsePrimary())
        }
    }

    // MARK: - Postfix

    /// Calls, subscripts, member accesses, trailing closures, `!`, `?` and `x...`.
    mutating func parsePostfix(_ base: Expr) -> Expr {
        var expression = base
        var isOptionalChain = false
        var links = 0
        defer { depth -= links }
        while true {
            let token = current
            switch token.kind {
            case .punctuation(.leftParen) where !token.newlineBefore:
                advance()
                let arguments = parseArgumentList(closing: .rightParen, what: "argument list")
                expression = Expr(
                    .call(callee: expression, arguments: arguments),
                    SourceRange(expression.range.start, previousEnd))
            case .punctuation(.leftBracket) where !token.newlineBefore:
                advance()
                let arguments = parseArgumentList(closing: .rightBracket, what: "subscript")
                expression = Expr(
                    .subscriptAccess(base: expression, arguments: arguments),
                    SourceRange(expression.range.start, previousEnd))
            case .punctuation(.dot):
                advance()
                expression = parseMemberName(of: expression)
            case .punctuation(.leftBrace) where !token.newlineBefore && allowsTrailingClosure:
                expression = parseTrailingClosures(callee: expression)
            case .op("!") where !token.spaceBefore:
                advance()
                expression = Expr(
                    .postfix(op: "!", operand: expression),
                    SourceRange(expression.range.start, previousEnd))
            case .op("?") where !token.spaceBefore:
                advance()
                isOptionalChain = true
                expression = Expr(.optionalMarker(expression), expression.range)
            case .op(let op)
            where (op == "..." || op == "..<") && !token.spaceBefore
                && token.spaceAfter:
                advance()
                return Expr(
                    .postfix(op: op, operand: expression),
                    SourceRange(expression.range.start, previousEnd))
            default:
                if isOptionalChain {
                    return Expr(.optionalChain(expression), expression.range)
                }
                return expression
            }
            // Each link deepens the tree, so it counts as nesting.
            guard enter() else { return expression }
            links += 1
        }
    }

    private mutating func parseMemberName(of base: Expr) -> Expr {
        let token = current
        let start = base.range.start
        switch token.kind {
        case .identifier(let name):
            advance()
            return Expr(
                .member(base: base, name: name, nameRange: token.range),
                SourceRange(start, previousEnd))
        case .keyword(let keyword):
            advance()
            return Expr(
                .member(base: base, name: keyword.rawValue, nameRange: token.range),
                SourceRange(start, previousEnd))
        case .integer(let position):
            advance()
            return Expr(
                .member(base: base, name: String(position), nameRange: token.range),
                SourceRange(start, previousEnd))
        case .float:
            // `t.0.1` lexes as `t`, `.`, `0.1`: two tuple element accesses.
            advance()
            let parts = file.text(token.range.start..<token.range.end).split(separator: ".")
            var expression = base
            for part in parts {
                expression = Expr(
                    .member(base: expression, name: String(part), nameRange: token.range),
                    SourceRange(start, previousEnd))
            }
            return expression
        default:
            error(
                "expected a member name after '.'", at: current.range,
                atEndOfInput: atEnd)
            return Expr(
                .member(base: base, name: "", nameRange: SourceRange(previousEnd, previousEnd)),
                SourceRange(start, previousEnd))
        }
    }

    /// Parses `label: value, …` up to `closing`, which it consumes.
    mutating func parseArgumentList(closing: Punctuation, what: String) -> [Argument] {
        let saved = allowsTrailingClosure
        allowsTrailingClosure = true
        defer { allowsTrailingClosure = saved }
        var arguments: [Argument] = []
        while !check(closing), !atEnd {
            let startIndex = index
            arguments.append(parseArgument())
            if !consume(.comma) { break }
            if index == startIndex { break }
        }
        if !consume(closing) {
            error(
                "expected '\(closing.rawValue)' to close the \(what)", at: current.range,
                atEndOfInput: atEnd)
        }
        return arguments
    }

    private mutating func parseArgument() -> Argument {
        let start = current.range
        var label: String?
        if token(after: 1).kind == .punctuation(.colon) {
            if case .identifier(let name) = current.kind {
                label = name
            } else if let keyword = keywordUsableAsLabel() {
                label = keyword
            }
            if label != nil {
                advance()
                advance()
            }
        }
        let labelRange = label == nil ? SourceRange(start.start, start.start) : start
        return Argument(label: label, labelRange: labelRange, value: parseExpression())
    }

    /// `f { … }`, `f(x) { … }` and `f { … } label: { … }`.
    private mutating func parseTrailingClosures(callee: Expr) -> Expr {
        var target = callee
        var arguments: [Argument] = []
        if case .call(let inner, let existing) = callee.kind {
            target = inner
            arguments = existing
        }
        let closureStart = current.range.start
        let closure = parseClosure()
        arguments.append(
            Argument(
                label: nil, labelRange: SourceRange(closureStart, closureStart), value: closure,
                isTrailingClosure: true))
        while case .identifier(let label) = current.kind, !current.newlineBefore,
            token(after: 1).kind == .punctuation(.colon),
            token(after: 2).kind == .punctuation(.leftBrace)
        {
            let labelRange = current.range
            advance()
            advance()
            arguments.append(
                Argument(
                    label: label, labelRange: labelRange, value: parseClosure(),
                    isTrailingClosure: true))
        }
        return Expr(
            .call(callee: target, arguments: arguments),
            SourceRange(callee.range.start, previousEnd))
    }
}
