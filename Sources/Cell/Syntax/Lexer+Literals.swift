/// Number and string literals.
extension Lexer {
    // MARK: - Numbers

    mutating func lexNumber() -> TokenKind {
        let start = position
        if peek() == "0", let marker = peek(1), marker == "x" || marker == "b" || marker == "o" {
            return lexRadixInteger(start: start, radix: marker == "x" ? 16 : marker == "b" ? 2 : 8)
        }
        skipDigits()
        var isFloat = false
        if peek() == ".", let next = peek(1), ("0"..."9").contains(next) {
            isFloat = true
            position += 1
            skipDigits()
        }
        if let marker = peek(), marker == "e" || marker == "E" {
            let signed = peek(1) == "+" || peek(1) == "-"
            if let digit = peek(signed ? 2 : 1), ("0"..."9").contains(digit) {
                isFloat = true
                position += signed ? 2 : 1
                skipDigits()
            }
        }
        let text = file.text(start..<position).replacingUnderscores()
        if let next = peek(), isIdentifierStart(next) {
            return invalidLiteral(start, "'\(next)' is not a valid digit in a number")
        }
        if isFloat {
            guard let value = Double(text) else { return invalidLiteral(start, "invalid number") }
            return .float(value)
        }
        guard let value = Int(text) else {
            return invalidLiteral(start, "integer literal '\(text)' overflows Int")
        }
        return .integer(value)
    }

    private mutating func skipDigits() {
        while let next = peek(), ("0"..."9").contains(next) || next == "_" { position += 1 }
    }

    private mutating func lexRadixInteger(start: Int, radix: Int) -> TokenKind {
        position += 2
        let digitsStart = position
        while let next = peek(), next == "_" || next.properties.isXIDContinue { position += 1 }
        let digits = file.text(digitsStart..<position).replacingUnderscores()
        guard let value = Int(digits, radix: radix) else {
            return invalidLiteral(start, "invalid base-\(radix) integer literal")
        }
        return .integer(value)
    }

    private mutating func invalidLiteral(_ start: Int, _ message: String) -> TokenKind {
        while let next = peek(), next.properties.isXIDContinue {
            position += 1
        }
        diagnostics.append(Diagnostic(message: message, range: SourceRange(start, position)))
        return .invalid
    }

    // MARK: - Strings

    mutating func lexString() -> TokenKind {
        if peek(1) == "\"", peek(2) == "\"" { return lexMultilineString() }
        let start = position
        position += 1
        var body = StringBodyReader()
        while true {
            guard let scalar = peek(), scalar != "\n" else {
                diagnostics.append(
                    Diagnostic(
                        message: "unterminated string literal; close it with '\"'",
                        range: SourceRange(start, position), atEndOfInput: peek() == nil))
                return .string(body.finish())
            }
            if scalar == "\"" {
                position += 1
                return .string(body.finish())
            }
            if scalar == "\\" {
                lexEscape(into: &body, multiline: false)
            } else {
                body.text.unicodeScalars.append(scalar)
                position += 1
            }
        }
    }

    private mutating func lexMultilineString() -> TokenKind {
        let start = position
        position += 3
        while let next = peek(), next == " " || next == "\t" || next == "\r" { position += 1 }
        guard peek() == "\n" else {
            diagnostics.append(
                Diagnostic(
                    message: "a multi-line string literal starts with '\"\"\"' and a line break",
                    range: SourceRange(start, position)))
            return .invalid
        }
        position += 1
        let contentStart = position
        guard let (closeLineStart, indent) = findMultilineClose(from: contentStart) else {
            position = end
            diagnostics.append(
                Diagnostic(
                    message: "unterminated multi-line string literal; close it with '\"\"\"'",
                    range: SourceRange(start, start + 3), atEndOfInput: true))
            return .invalid
        }
        var body = StringBodyReader()
        let contentEnd = max(contentStart, closeLineStart - 1)
        var lineStart = true
        while position < contentEnd {
            if lineStart {
                lineStart = false
                skipIndentation(indent, limit: contentEnd)
                continue
            }
            guard let scalar = peek() else { break }
            if scalar == "\\" {
                if peek(1) == "\n" {
                    position += 2
                    lineStart = true
                    continue
                }
                lexEscape(into: &body, multiline: true)
            } else {
                body.text.unicodeScalars.append(scalar)
                position += 1
                if scalar == "\n" { lineStart = true }
            }
        }
        position = closeLineStart + indent.count + 3
        return .string(body.finish())
    }

    /// Finds the line holding the closing `"""`: its start offset and its indentation.
    private func findMultilineClose(from contentStart: Int) -> (Int, [Unicode.Scalar])? {
        var lineStart = contentStart
        var index = contentStart
        while index < end {
            let scalar = file.scalars[index]
            if scalar == "\n" {
                lineStart = index + 1
            } else if scalar == "\\" {
                index += 1
            } else if scalar == "\"", index + 2 < end, file.scalars[index + 1] == "\"",
                file.scalars[index + 2] == "\""
            {
                let indent = Array(file.scalars[lineStart..<index])
                if indent.allSatisfy({ $0 == " " || $0 == "\t" }) { return (lineStart, indent) }
                index += 2
            }
            index += 1
        }
        return nil
    }

    private mutating func skipIndentation(_ indent: [Unicode.Scalar], limit: Int) {
        var matched = 0
        while matched < indent.count, position < limit, peek() == indent[matched] {
            matched += 1
            position += 1
        }
        if matched < indent.count, let next = peek(), next != "\n", next != "\r" {
            diagnostics.append(
                Diagnostic(
                    message:
                        "line of a multi-line string is indented less than its closing '\"\"\"'",
                    range: SourceRange(position, position + 1)))
        }
    }

    private mutating func lexEscape(into body: inout StringBodyReader, multiline: Bool) {
        let start = position
        position += 1
        guard let code = peek() else { return }
        position += 1
        switch code {
        case "n": body.text += "\n"
        case "t": body.text += "\t"
        case "r": body.text += "\r"
        case "0": body.text += "\0"
        case "\\": body.text += "\\"
        case "\"": body.text += "\""
        case "'": body.text += "'"
        case "u": lexUnicodeEscape(into: &body, start: start)
        case "(":
            let innerStart = position
            guard let close = interpolationEnd(from: innerStart, multiline: multiline) else {
                diagnostics.append(
                    Diagnostic(
                        message: "expected ')' to close the string interpolation",
                        range: SourceRange(start, position), atEndOfInput: true))
                position = multiline ? end : lineEnd(from: position)
                return
            }
            body.flushText()
            body.segments.append(.interpolation(SourceRange(innerStart, close)))
            position = close + 1
        default:
            diagnostics.append(
                Diagnostic(
                    message: "invalid escape sequence '\\\(code)' in string literal",
                    range: SourceRange(start, position)))
        }
    }

    private mutating func lexUnicodeEscape(into body: inout StringBodyReader, start: Int) {
        guard peek() == "{" else {
            diagnostics.append(
                Diagnostic(
                    message: "expected '{' in \\u{…} escape", range: SourceRange(start, position)))
            return
        }
        position += 1
        let digitsStart = position
        while let next = peek(), next.properties.isASCIIHexDigit { position += 1 }
        let digits = file.text(digitsStart..<position)
        guard peek() == "}", let code = UInt32(digits, radix: 16),
            let scalar = Unicode.Scalar(code)
        else {
            diagnostics.append(
                Diagnostic(
                    message: "invalid unicode scalar in \\u{…} escape",
                    range: SourceRange(start, position)))
            return
        }
        position += 1
        body.text.unicodeScalars.append(scalar)
    }

    private func lineEnd(from offset: Int) -> Int {
        var index = offset
        while index < end, file.scalars[index] != "\n" { index += 1 }
        return index
    }

    /// The offset of the `)` closing an interpolation that starts at `start`, skipping nested
    /// parentheses and string literals; nil if the interpolation is not closed.
    func interpolationEnd(from start: Int, multiline: Bool) -> Int? {
        var depth = 1
        var index = start
        while index < end {
            let scalar = file.scalars[index]
            switch scalar {
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return index }
            case "\n" where !multiline: return nil
            case "\"":
                guard let after = nestedStringEnd(from: index) else { return nil }
                index = after
                continue
            default: break
            }
            index += 1
        }
        return nil
    }

    /// The offset just past a single-line string literal starting at `start` (its quote).
    private func nestedStringEnd(from start: Int) -> Int? {
        var index = start + 1
        while index < end {
            switch file.scalars[index] {
            case "\"": return index + 1
            case "\n": return nil
            case "\\":
                if index + 1 < end, file.scalars[index + 1] == "(" {
                    guard let close = interpolationEnd(from: index + 2, multiline: false) else {
                        return nil
                    }
                    index = close + 1
                    continue
                }
                index += 2
                continue
            default: index += 1
            }
        }
        return nil
    }
}

/// Accumulates the segments of a string literal.
struct StringBodyReader {
    var segments: [StringSegment] = []
    var text = ""

    mutating func flushText() {
        if !text.isEmpty { segments.append(.text(text)) }
        text = ""
    }

    mutating func finish() -> [StringSegment] {
        flushText()
        return segments
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(unicodeScalars.filter { $0 != "_" })
    }
}
