/// A recursive-descent parser that never fails: a missing token becomes a missing node plus a
/// diagnostic, so completion and `is_complete` always get a tree.
///
/// Every parsing loop makes progress (it consumes a token or leaves), and nesting is bounded by
/// `maximumDepth`, so no cell, however malformed, can make the parser loop or overflow the stack.
struct Parser {
    /// Nesting (brackets, blocks, operator chains) beyond which the parser gives up on a branch.
    static let maximumDepth = 300
    /// Diagnostics beyond this are dropped: the first ones are what a user needs.
    static let maximumDiagnostics = 40

    let file: SourceFile
    var tokens: [Token]
    var index = 0
    var diagnostics: [Diagnostic]
    var depth: Int
    var reportedDepth = false
    /// `$n` bookkeeping for the closures being parsed, innermost last.
    var closureDollarCounts: [Int] = []
    /// False while parsing an `if`/`while`/`for`/`switch`/`guard` header, where `{` opens the
    /// body rather than a trailing closure.
    var allowsTrailingClosure = true

    init(file: SourceFile, range: Range<Int>? = nil, depth: Int = 0) {
        self.file = file
        let lexed = Lexer.tokenize(file, range: range)
        self.tokens = lexed.tokens
        self.diagnostics = lexed.diagnostics
        self.depth = depth
    }

    /// Parses a whole cell.
    static func parse(_ file: SourceFile) -> (statements: [Stmt], diagnostics: [Diagnostic]) {
        var parser = Parser(file: file)
        let statements = parser.parseStatements(until: { _ in false })
        return (statements, parser.diagnostics)
    }

    // MARK: - Tokens

    var current: Token { tokens[index] }

    func token(after offset: Int) -> Token {
        tokens[min(index + offset, tokens.count - 1)]
    }

    var atEnd: Bool { current.kind == .endOfFile }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func check(_ punctuation: Punctuation) -> Bool {
        current.kind == .punctuation(punctuation)
    }

    func check(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }

    func checkOperator(_ text: String) -> Bool { current.kind == .op(text) }

    mutating func consume(_ punctuation: Punctuation) -> Bool {
        guard check(punctuation) else { return false }
        advance()
        return true
    }

    mutating func consume(_ keyword: Keyword) -> Bool {
        guard check(keyword) else { return false }
        advance()
        return true
    }

    mutating func consumeOperator(_ text: String) -> Bool {
        guard checkOperator(text) else { return false }
        advance()
        return true
    }

    /// Consumes `punctuation` or records `message` (at the current token) and consumes nothing.
    @discardableResult
    mutating func expect(_ punctuation: Punctuation, _ message: String) -> Bool {
        if consume(punctuation) { return true }
        error(message)
        return false
    }

    /// The offset where the previous token ended (where a missing token would go).
    var previousEnd: Int { index > 0 ? tokens[index - 1].range.end : current.range.start }

    /// Records a diagnostic at the current token.
    mutating func error(_ message: String) {
        error(message, at: current.range, atEndOfInput: atEnd)
    }

    mutating func error(_ message: String, at range: SourceRange, atEndOfInput: Bool = false) {
        guard diagnostics.count < Parser.maximumDiagnostics else { return }
        if diagnostics.contains(where: { $0.range.start == range.start }) { return }
        diagnostics.append(Diagnostic(message: message, range: range, atEndOfInput: atEndOfInput))
    }

    // MARK: - Nesting

    /// Enters one level of nesting; false (with one diagnostic) when the cell nests too deeply.
    mutating func enter() -> Bool {
        guard depth < Parser.maximumDepth else {
            if !reportedDepth {
                reportedDepth = true
                error(
                    "the code is nested too deeply (more than \(Parser.maximumDepth) levels); "
                        + "split it into smaller expressions")
            }
            return false
        }
        depth += 1
        return true
    }

    mutating func leave() { depth -= 1 }

    /// True when the current token cannot continue the statement on the previous line.
    var atStatementBoundary: Bool {
        atEnd || current.newlineBefore || check(.semicolon) || check(.rightBrace)
    }

    /// The `///` comment lines directly above the line holding `offset`, joined.
    func documentationComment(before offset: Int) -> String? {
        var line = file.lineAndColumn(of: offset).line - 1
        var lines: [String] = []
        while line >= 1 {
            let text = file.text(ofLine: line).trimmingLeadingSpaces()
            guard text.hasPrefix("///") else { break }
            lines.insert(String(text.dropFirst(3)).trimmingLeadingSpaces(), at: 0)
            line -= 1
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }
}

extension String {
    /// The string without its leading spaces and tabs.
    func trimmingLeadingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }))
    }
}
