/// Turns a cell (or a slice of it, for string interpolations) into tokens.
///
/// The lexer never fails: unreadable text becomes an `.invalid` token plus a diagnostic.
/// Offsets stay those of the whole cell, so an interpolation's tokens point into the cell.
struct Lexer {
    let file: SourceFile
    var diagnostics: [Diagnostic] = []
    var position: Int
    let end: Int
    private(set) var tokens: [Token] = []
    private var sawNewline = true
    private var sawSpace = true
    private var atLineStart = true

    init(file: SourceFile, range: Range<Int>? = nil) {
        self.file = file
        self.position = range?.lowerBound ?? 0
        self.end = min(range?.upperBound ?? file.scalars.count, file.scalars.count)
    }

    /// Lexes everything and returns the tokens, ending with `.endOfFile`.
    static func tokenize(_ file: SourceFile, range: Range<Int>? = nil) -> (
        tokens: [Token], diagnostics: [Diagnostic]
    ) {
        var lexer = Lexer(file: file, range: range)
        lexer.run()
        return (lexer.tokens, lexer.diagnostics)
    }

    func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let index = position + ahead
        return index < end ? file.scalars[index] : nil
    }

    private mutating func run() {
        while true {
            skipTrivia()
            guard let scalar = peek() else { break }
            let start = position
            let kind = lexToken(startingWith: scalar)
            append(kind, from: start)
        }
        tokens.append(
            Token(
                kind: .endOfFile, range: SourceRange(end, end), spaceBefore: true,
                newlineBefore: sawNewline, spaceAfter: true))
    }

    private mutating func append(_ kind: TokenKind, from start: Int) {
        let previousIsOpener: Bool
        if let last = tokens.last, case .punctuation(let mark) = last.kind {
            previousIsOpener = [.leftParen, .leftBracket, .leftBrace, .comma, .semicolon, .colon]
                .contains(mark)
        } else {
            previousIsOpener = false
        }
        var spaceAfter = true
        if let next = peek() {
            spaceAfter =
                next == " " || next == "\t" || next == "\n" || next == "\r"
                || [")", "]", "}", ",", ";", ":"].contains(next)
                || (next == "/" && (peek(1) == "/" || peek(1) == "*"))
            if case .op = kind, next == ".", !(sawSpace || previousIsOpener) { spaceAfter = true }
        }
        tokens.append(
            Token(
                kind: kind, range: SourceRange(start, position),
                spaceBefore: sawSpace || previousIsOpener, newlineBefore: sawNewline,
                spaceAfter: spaceAfter))
        sawSpace = false
        sawNewline = false
        atLineStart = false
    }

    // MARK: - Trivia

    private mutating func skipTrivia() {
        while let scalar = peek() {
            switch scalar {
            case " ", "\t", "\r":
                position += 1
                sawSpace = true
            case "\n":
                position += 1
                sawSpace = true
                sawNewline = true
                atLineStart = true
            case "/" where peek(1) == "/":
                while let next = peek(), next != "\n" { position += 1 }
                sawSpace = true
            case "/" where peek(1) == "*":
                skipBlockComment()
                sawSpace = true
            default:
                return
            }
        }
    }

    private mutating func skipBlockComment() {
        let start = position
        var depth = 0
        while position < end {
            if peek() == "/", peek(1) == "*" {
                depth += 1
                position += 2
            } else if peek() == "*", peek(1) == "/" {
                depth -= 1
                position += 2
                if depth == 0 { return }
            } else {
                if peek() == "\n" { sawNewline = true }
                position += 1
            }
        }
        diagnostics.append(
            Diagnostic(
                message: "unterminated '/*' comment; close it with '*/'",
                range: SourceRange(start, start + 2), atEndOfInput: true))
    }

    // MARK: - Tokens

    private mutating func lexToken(startingWith scalar: Unicode.Scalar) -> TokenKind {
        if scalar == "%", atLineStart, let magic = lexMagic() { return magic }
        if isIdentifierStart(scalar) { return lexIdentifier() }
        if ("0"..."9").contains(scalar) {
            return lexNumber()
        }
        switch scalar {
        case "\"": return lexString()
        case "$": return lexDollar()
        case "(", ")", "[", "]", "{", "}", ",", ":", ";", "@":
            position += 1
            return .punctuation(Punctuation(rawValue: String(scalar)) ?? .comma)
        case ".":
            if peek(1) == "." { return lexOperator() }
            position += 1
            return .punctuation(.dot)
        case "`":
            return lexEscapedIdentifier()
        case "#":
            position += 1
            diagnostics.append(
                Diagnostic(
                    message: "'#' directives are not part of the cell language",
                    range: SourceRange(position - 1, position)))
            return .invalid
        default:
            if OperatorSpelling.isOperatorCharacter(scalar) { return lexOperator() }
            position += 1
            diagnostics.append(
                Diagnostic(
                    message: "unexpected character '\(scalar)'",
                    range: SourceRange(position - 1, position)))
            return .invalid
        }
    }

    func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isXIDStart
    }

    private mutating func lexIdentifier() -> TokenKind {
        let start = position
        position += 1
        while let next = peek(), next == "_" || next.properties.isXIDContinue { position += 1 }
        let name = file.text(start..<position)
        if let keyword = Keyword(rawValue: name) { return .keyword(keyword) }
        return .identifier(name)
    }

    private mutating func lexEscapedIdentifier() -> TokenKind {
        let start = position
        position += 1
        while let next = peek(), next != "`", next != "\n" { position += 1 }
        guard peek() == "`", position > start + 1 else {
            diagnostics.append(
                Diagnostic(
                    message: "expected '`' to close the escaped name",
                    range: SourceRange(start, position)))
            return .invalid
        }
        let name = file.text((start + 1)..<position)
        position += 1
        return .identifier(name)
    }

    private mutating func lexDollar() -> TokenKind {
        let start = position
        position += 1
        while let next = peek(), ("0"..."9").contains(next) { position += 1 }
        guard position > start + 1, let index = Int(file.text((start + 1)..<position)),
            index < 64
        else {
            diagnostics.append(
                Diagnostic(
                    message: "expected a closure argument number after '$', as in '$0'",
                    range: SourceRange(start, position)))
            return .invalid
        }
        return .dollar(index)
    }

    private mutating func lexOperator() -> TokenKind {
        let start = position
        if peek() == "." {
            while let next = peek(), next == "." || next == "<" { position += 1 }
        } else {
            while let next = peek(), OperatorSpelling.isOperatorCharacter(next) {
                if next == "/", peek(1) == "/" || peek(1) == "*", position > start { break }
                position += 1
            }
        }
        // Split runs such as `=-` or `?.` into the longest known operator and what follows
        // (known operators are at most three characters long).
        var text = file.text(start..<min(position, start + 3))
        while !OperatorSpelling.known.contains(text), text.unicodeScalars.count > 1 {
            text = String(text.unicodeScalars.dropLast())
        }
        position = start + text.unicodeScalars.count
        if !OperatorSpelling.known.contains(text) {
            diagnostics.append(
                Diagnostic(
                    message: "unknown operator '\(text)'", range: SourceRange(start, position)))
            return .invalid
        }
        return .op(text)
    }

    private mutating func lexMagic() -> TokenKind? {
        let isCell = peek(1) == "%"
        let nameStart = position + (isCell ? 2 : 1)
        guard nameStart < end, isIdentifierStart(file.scalars[nameStart]) else { return nil }
        position = nameStart
        while let next = peek(), next == "_" || next.properties.isXIDContinue { position += 1 }
        let name = file.text(nameStart..<position)
        let argumentStart = position
        if isCell {
            position = end
        } else {
            while let next = peek(), next != "\n" { position += 1 }
        }
        return .magic(
            name: name, argument: file.text(argumentStart..<position),
            argumentStart: argumentStart, isCell: isCell)
    }
}
