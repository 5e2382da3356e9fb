/// Patterns (`let`, `for`, `case`) and written types.
extension Parser {
    // MARK: - Patterns

    /// A pattern where every name binds: `x`, `_`, `(a, (b, _))`.
    mutating func parseBindingPattern() -> Pattern {
        let start = current.range
        switch current.kind {
        case .identifier("_"):
            advance()
            return Pattern(.wildcard, start)
        case .identifier(let name):
            advance()
            return Pattern(.name(name), start)
        case .punctuation(.leftParen):
            advance()
            guard enter() else { return Pattern(.wildcard, start) }
            defer { leave() }
            var elements: [Pattern] = []
            while !check(.rightParen), !atEnd {
                let startIndex = index
                elements.append(parseBindingPattern())
                if !consume(.comma) || index == startIndex { break }
            }
            expect(.rightParen, "expected ')' to close the tuple pattern")
            let range = SourceRange(start.start, previousEnd)
            return elements.count == 1 ? elements[0] : Pattern(.tuple(elements), range)
        default:
            error("expected a name or a tuple pattern such as '(a, b)'")
            return Pattern(.wildcard, SourceRange(start.start, start.start))
        }
    }

    /// A `case` pattern: values and ranges to match, `let` bindings, `_`, `is Type`, tuples.
    mutating func parseCasePattern() -> Pattern {
        guard enter() else { return Pattern(.wildcard, current.range) }
        defer { leave() }
        let start = current.range
        var pattern: Pattern
        switch current.kind {
        case .keyword(.let), .keyword(.var):
            let isVar = advance().kind == .keyword(.var)
            let inner = parseBindingPattern()
            pattern = Pattern(
                .binding(isVar: isVar, inner), SourceRange(start.start, inner.range.end))
        case .identifier("_"):
            advance()
            pattern = Pattern(.wildcard, start)
        case .keyword(.is):
            advance()
            let type = parseType()
            pattern = Pattern(.isType(type), SourceRange(start.start, type.range.end))
        case .punctuation(.leftParen):
            advance()
            var elements: [Pattern] = []
            var sawComma = false
            while !check(.rightParen), !atEnd {
                let startIndex = index
                elements.append(parseCasePattern())
                if !consume(.comma) || index == startIndex { break }
                sawComma = true
            }
            expect(.rightParen, "expected ')' to close the tuple pattern")
            let range = SourceRange(start.start, previousEnd)
            pattern =
                elements.count == 1 && !sawComma ? elements[0] : Pattern(.tuple(elements), range)
        default:
            let saved = allowsTrailingClosure
            allowsTrailingClosure = false
            let expression = parseInfix(above: .ternary)
            allowsTrailingClosure = saved
            pattern = Pattern(.expression(expression), expression.range)
        }
        if !current.spaceBefore, consumeOperator("?") {
            pattern = Pattern(.optional(pattern), SourceRange(start.start, previousEnd))
        }
        return pattern
    }

    // MARK: - Types

    /// `Int`, `[Double]`, `[String: Int]`, `(Int, Int)`, `Int?`, `(Int) -> Int`, `Array<Int>`.
    mutating func parseType() -> TypeSyntax {
        let start = current.range.start
        guard enter() else { return TypeSyntax(.missing, current.range) }
        defer { leave() }
        // `@escaping (Int) -> Int`: a closure parameter's attributes change nothing here.
        while check(.at) { skipAttribute() }
        var type: TypeSyntax
        switch current.kind {
        case .identifier(let name):
            advance()
            var arguments: [TypeSyntax] = []
            if checkOperator("<"), !current.spaceBefore {
                advance()
                repeat {
                    arguments.append(parseType())
                } while consume(.comma)
                closeGenericArguments()
            }
            var qualified = name
            while check(.dot), case .identifier(let part) = token(after: 1).kind {
                advance()
                advance()
                qualified += "." + part
            }
            type = TypeSyntax(
                .named(qualified, arguments: arguments), SourceRange(start, previousEnd))
        case .keyword(.self):
            advance()
            type = TypeSyntax(.named("Self", arguments: []), SourceRange(start, previousEnd))
        case .punctuation(.leftBracket):
            advance()
            let element = parseType()
            if consume(.colon) {
                let value = parseType()
                expect(.rightBracket, "expected ']' to close the dictionary type")
                type = TypeSyntax(
                    .dictionary(key: element, value: value), SourceRange(start, previousEnd))
            } else {
                expect(.rightBracket, "expected ']' to close the array type")
                type = TypeSyntax(.array(element), SourceRange(start, previousEnd))
            }
        case .punctuation(.leftParen):
            advance()
            var elements: [TypeSyntax] = []
            var labels: [String?] = []
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
                labels.append(label)
                elements.append(parseType())
                if !consume(.comma) || index == startIndex { break }
            }
            expect(.rightParen, "expected ')' to close the tuple type")
            if consume(.throws) {}
            if consumeOperator("->") {
                let result = parseType()
                return TypeSyntax(
                    .function(parameters: elements, result: result),
                    SourceRange(start, previousEnd))
            }
            type =
                elements.count == 1
                ? elements[0]
                : TypeSyntax(.tuple(elements, labels: labels), SourceRange(start, previousEnd))
        default:
            error("expected a type", at: current.range, atEndOfInput: atEnd)
            return TypeSyntax(.missing, SourceRange(start, start))
        }
        while !current.spaceBefore, checkOperator("?") || checkOperator("!") {
            advance()
            type = TypeSyntax(.optional(type), SourceRange(start, previousEnd))
        }
        if consumeOperator("->") {
            let result = parseType()
            type = TypeSyntax(
                .function(parameters: [type], result: result), SourceRange(start, previousEnd))
        }
        return type
    }

    /// Consumes the `>` closing generic arguments, splitting a `>>` or `>=` token when needed.
    private mutating func closeGenericArguments() {
        if case .op(let text) = current.kind, text.hasPrefix(">") {
            if text == ">" {
                advance()
            } else {
                let rest = String(text.dropFirst())
                tokens[index].kind = .op(rest)
                tokens[index].range.start += 1
            }
            return
        }
        error("expected '>' to close the generic argument list")
    }
}
