import KernelInterface

/// `is_complete_request`: whether a cell can run as it is, needs more lines (an open bracket
/// or brace, a trailing operator, an unterminated multi-line string or comment), or can never
/// become valid.
enum CompletenessChecker {
    static func check(_ code: String) -> Completeness {
        let file = SourceFile(name: "<is_complete>", text: code)
        let (tokens, lexDiagnostics) = Lexer.tokenize(file)
        guard let last = tokens.dropLast().last else { return .complete }
        if case .magic(_, _, _, true) = tokens[0].kind { return .complete }
        let indent = nextIndent(code)
        if lexDiagnostics.contains(where: \.atEndOfInput) { return .incomplete(indent: indent) }
        var depth = 0
        for token in tokens {
            guard case .punctuation(let mark) = token.kind else { continue }
            switch mark {
            case .leftParen, .leftBracket, .leftBrace: depth += 1
            case .rightParen, .rightBracket, .rightBrace:
                depth -= 1
                if depth < 0 { return .invalid }
            default: break
            }
        }
        if depth > 0 { return .incomplete(indent: indent) }
        if continuesOnNextLine(last) { return .incomplete(indent: indent) }
        let (_, diagnostics) = Parser.parse(file)
        if diagnostics.isEmpty { return .complete }
        if diagnostics.allSatisfy(\.atEndOfInput) { return .incomplete(indent: indent) }
        return .invalid
    }

    /// A last token after which the statement must go on: an infix operator, a comma, a dot,
    /// a colon, `in`, `->`.
    private static func continuesOnNextLine(_ token: Token) -> Bool {
        switch token.kind {
        case .op(let op):
            if op == "!" || op == "?" { return false }
            if op == "..." || op == "..<", !token.spaceBefore { return false }
            return true
        case .punctuation(.comma), .punctuation(.dot), .punctuation(.colon): return true
        case .keyword(let keyword):
            return [
                .in, .else, .let, .var, .func, .struct, .if, .guard, .while, .for,
                .switch, .case, .is, .as, .where, .extension, .repeat,
            ].contains(keyword)
        default: return false
        }
    }

    /// The indentation for the next line: the last line's, one level deeper after an opener.
    private static func nextIndent(_ code: String) -> String {
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
        guard let last = lines.last(where: { !$0.allSatisfy(\.isWhitespace) }) else { return "" }
        let leading = String(last.prefix(while: { $0 == " " || $0 == "\t" }))
        let trimmed = last.trimmingSpacesAtEnd()
        if let end = trimmed.last, "([{".contains(end) || trimmed.hasSuffix(" in") {
            return leading + "    "
        }
        return leading
    }
}

extension Substring {
    fileprivate func trimmingSpacesAtEnd() -> Substring {
        var text = self
        while let last = text.last, last == " " || last == "\t" || last == "\r" {
            text.removeLast()
        }
        return text
    }
}
