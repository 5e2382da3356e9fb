/// Literals, names, parenthesised and bracketed expressions, closures and implicit members.
extension Parser {
    mutating func parsePrimary() -> Expr {
        let token = current
        let range = token.range
        switch token.kind {
        case .integer(let value):
            advance()
            return Expr(.integer(value), range)
        case .float(let value):
            advance()
            return Expr(.float(value), range)
        case .string(let segments):
            advance()
            return Expr(.string(parseStringSegments(segments)), range)
        case .keyword(.true), .keyword(.false):
            advance()
            return Expr(.bool(token.kind == .keyword(.true)), range)
        case .keyword(.nil):
            advance()
            return Expr(.nilLiteral, range)
        case .keyword(.self):
            advance()
            return Expr(.identifier("self"), range)
        case .keyword(.`init`):
            advance()
            return Expr(.identifier("init"), range)
        case .identifier(let name):
            advance()
            return Expr(.identifier(name), range)
        case .dollar(let position):
            advance()
            if closureDollarCounts.isEmpty {
                error("anonymous closure argument '$\(position)' used outside a closure", at: range)
            } else {
                let last = closureDollarCounts.count - 1
                closureDollarCounts[last] = max(closureDollarCounts[last], position + 1)
            }
            return Expr(.dollar(position), range)
        case .punctuation(.leftParen):
            return parseParenthesised()
        case .punctuation(.leftBracket):
            return parseCollectionLiteral()
        case .punctuation(.leftBrace):
            return parseClosure()
        case .punctuation(.dot):
            advance()
            if case .identifier(let name) = current.kind {
                advance()
                return Expr(.implicitMember(name: name), SourceRange(range.start, previousEnd))
            }
            if case .keyword(let keyword) = current.kind {
                advance()
                return Expr(
                    .implicitMember(name: keyword.rawValue), SourceRange(range.start, previousEnd))
            }
            error("expected a member name after '.'", at: current.range, atEndOfInput: atEnd)
            return .missing(at: previousEnd)
        case .keyword(.if):
            // `if` and `switch` as values (`let x = if c { 1 } else { 2 }`), as in Swift 5.9.
            let statement = parseIf()
            return Expr(.ifExpression(statement), SourceRange(range.start, previousEnd))
        case .keyword(.switch):
            let statement = parseSwitch(label: nil)
            return Expr(.switchExpression(statement), SourceRange(range.start, previousEnd))
        case .keyword(let keyword):
            error("expected an expression, found the keyword '\(keyword.rawValue)'")
            return .missing(at: range.start)
        case .endOfFile:
            error("expected an expression", at: range, atEndOfInput: true)
            return .missing(at: range.start)
        case .invalid:
            advance()
            return .missing(at: range.start)
        case .magic(let name, _, _, _):
            error("the magic '%\(name)' must be on a line of its own")
            return .missing(at: range.start)
        default:
            error("expected an expression, found \(token.kind.spelling)")
            return .missing(at: range.start)
        }
    }

    // MARK: - Strings

    private mutating func parseStringSegments(_ segments: [StringSegment]) -> [StringPart] {
        segments.map { segment in
            switch segment {
            case .text(let text):
                return .text(text)
            case .interpolation(let range):
                guard depth < Parser.maximumDepth else {
                    _ = enter()
                    return .interpolation(.missing(at: range.start))
                }
                var inner = Parser(
                    file: file, range: range.start..<range.end, depth: depth + 1)
                inner.closureDollarCounts = closureDollarCounts
                defer { closureDollarCounts = inner.closureDollarCounts }
                let expression =
                    inner.atEnd
                    ? Expr.missing(at: range.start) : inner.parseExpression()
                if inner.atEnd == false {
                    inner.error("unexpected text in the string interpolation")
                }
                if case .missing = expression.kind, inner.diagnostics.isEmpty {
                    inner.error("expected an expression inside '\\( )'", at: range)
                }
                for diagnostic in inner.diagnostics {
                    error(diagnostic.message, at: diagnostic.range)
                }
                return .interpolation(expression)
            }
        }
    }

    // MARK: - Brackets

    /// `(x)`, `()`, `(a, b)`, `(loss: l, accuracy: a)`.
    private mutating func parseParenthesised() -> Expr {
        let start = advance().range.start
        guard enter() else { return .missing(at: start) }
        defer { leave() }
        let saved = allowsTrailingClosure
        allowsTrailingClosure = true
        defer { allowsTrailingClosure = saved }
        var elements: [TupleElement] = []
        var sawComma = false
        while !check(.rightParen), !atEnd {
            let startIndex = index
            var label: String?
            if case .identifier(let name) = current.kind,
                token(after: 1).kind == .punctuation(.colon)
            {
                label = name
                advance()
                advance()
            }
            elements.append(TupleElement(label: label, value: parseExpression()))
            if !consume(.comma) { break }
            sawComma = true
            if index == startIndex { break }
        }
        if !consume(.rightParen) {
            error(
                "expected ')' to close the parenthesised expression", at: current.range,
                atEndOfInput: atEnd)
        }
        let range = SourceRange(start, previousEnd)
        if elements.count == 1, !sawComma, elements[0].label == nil {
            var inner = elements[0].value
            inner.range = range
            return inner
        }
        return Expr(.tuple(elements), range)
    }

    /// `[a, b]`, `[]`, `[k: v]`, `[:]`.
    private mutating func parseCollectionLiteral() -> Expr {
        let start = advance().range.start
        guard enter() else { return .missing(at: start) }
        defer { leave() }
        let saved = allowsTrailingClosure
        allowsTrailingClosure = true
        defer { allowsTrailingClosure = saved }
        if check(.colon), token(after: 1).kind == .punctuation(.rightBracket) {
            advance()
            advance()
            return Expr(.dictionary([]), SourceRange(start, previousEnd))
        }
        var elements: [Expr] = []
        var pairs: [(key: Expr, value: Expr)] = []
        var isDictionary = false
        while !check(.rightBracket), !atEnd {
            let startIndex = index
            let first = parseExpression()
            if consume(.colon) {
                isDictionary = true
                pairs.append((first, parseExpression()))
            } else if isDictionary {
                error("expected ':' and a value in the dictionary literal")
            } else {
                elements.append(first)
            }
            if !consume(.comma) { break }
            if index == startIndex { break }
        }
        let what = isDictionary ? "dictionary literal" : "array literal"
        if !consume(.rightBracket) {
            error("expected ']' to close the \(what)", at: current.range, atEndOfInput: atEnd)
        }
        let range = SourceRange(start, previousEnd)
        if isDictionary {
            if !elements.isEmpty {
                error("a dictionary literal needs 'key: value' for every element", at: range)
            }
            return Expr(.dictionary(pairs), range)
        }
        return Expr(.array(elements), range)
    }

    // MARK: - Closures

    /// `{ statements }`, `{ x, y in … }`, `{ (x: Int) -> Int in … }`.
    mutating func parseClosure() -> Expr {
        let start = advance().range.start
        guard enter() else {
            skipBalancedBraces()
            return .missing(at: start)
        }
        defer { leave() }
        let saved = allowsTrailingClosure
        allowsTrailingClosure = true
        defer { allowsTrailingClosure = saved }
        let signature = parseClosureSignature()
        closureDollarCounts.append(0)
        let body = parseStatements(until: { $0.kind == .punctuation(.rightBrace) })
        let dollarCount = closureDollarCounts.popLast() ?? 0
        if !consume(.rightBrace) {
            error("expected '}' to close the closure", at: current.range, atEndOfInput: atEnd)
        }
        if signature != nil, dollarCount > 0 {
            error(
                "anonymous closure arguments like '$0' cannot be used in a closure that "
                    + "names its parameters", at: SourceRange(start, start + 1))
        }
        return Expr(
            .closure(
                ClosureExpr(
                    parameters: signature?.parameters, returnType: signature?.returnType,
                    body: body, dollarCount: dollarCount)),
            SourceRange(start, previousEnd))
    }

    /// Tries to read `params (-> Type)? in`; restores the position when there is none.
    private mutating func parseClosureSignature() -> (
        parameters: [ClosureParameter], returnType: TypeSyntax?
    )? {
        let savedIndex = index
        let savedDiagnostics = diagnostics
        var parameters: [ClosureParameter] = []
        var parenthesised = false
        if consume(.leftParen) {
            parenthesised = true
            while !check(.rightParen) {
                guard let parameter = closureParameter(allowType: true) else { break }
                parameters.append(parameter)
                if !consume(.comma) { break }
            }
            if !consume(.rightParen) {
                index = savedIndex
                diagnostics = savedDiagnostics
                return nil
            }
        } else {
            while let parameter = closureParameter(allowType: false) {
                parameters.append(parameter)
                if !consume(.comma) { break }
            }
        }
        var returnType: TypeSyntax?
        if parenthesised || !parameters.isEmpty, consumeOperator("->") {
            returnType = parseType()
        }
        guard parenthesised || !parameters.isEmpty, consume(.in),
            diagnostics.count == savedDiagnostics.count
        else {
            index = savedIndex
            diagnostics = savedDiagnostics
            return nil
        }
        return (parameters, returnType)
    }

    private mutating func closureParameter(allowType: Bool) -> ClosureParameter? {
        guard case .identifier(let name) = current.kind else { return nil }
        let range = current.range
        advance()
        var parameter = ClosureParameter(name: name, type: nil, range: range)
        if allowType, consume(.colon) {
            _ = consume(.inout)
            parameter.type = parseType()
        }
        return parameter
    }
}
