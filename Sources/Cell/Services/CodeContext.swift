/// What surrounds the cursor in a cell being edited: the word being typed, the chain of names
/// before a dot, the call whose arguments the cursor is in, an unterminated string. Completion
/// and inspection both start here; neither needs the cell to parse.
struct CodeContext {
    let scalars: [Unicode.Scalar]
    let cursor: Int
    /// The identifier characters just before the cursor.
    let word: String
    /// Where `word` starts.
    let wordStart: Int

    init(code: String, cursor: Int) {
        scalars = Array(code.unicodeScalars)
        self.cursor = max(0, min(cursor, scalars.count))
        var start = self.cursor
        while start > 0, CodeContext.isIdentifier(scalars[start - 1]) { start -= 1 }
        wordStart = start
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<self.cursor])
        word = String(text)
    }

    static func isIdentifier(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar == "$" || scalar.properties.isXIDContinue
    }

    /// The identifier extending past the cursor too (for inspection of a whole name).
    var wholeWord: (text: String, start: Int) {
        var end = cursor
        while end < scalars.count, CodeContext.isIdentifier(scalars[end]) { end += 1 }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[wordStart..<end])
        return (String(text), wordStart)
    }

    /// The character before the word, skipping nothing.
    var characterBeforeWord: Unicode.Scalar? { wordStart > 0 ? scalars[wordStart - 1] : nil }

    /// For `a.b.c.wo|`, the chain `["a", "b", "c"]`; nil when the word does not follow a dot
    /// or the receiver is not a plain chain of names.
    func receiverChain(before position: Int? = nil) -> [String]? {
        var index = (position ?? wordStart) - 1
        guard index >= 0, scalars[index] == "." else { return nil }
        var names: [String] = []
        while index >= 0, scalars[index] == "." {
            var end = index
            while end > 0, scalars[end - 1] == " " { end -= 1 }
            var start = end
            while start > 0, CodeContext.isIdentifier(scalars[start - 1]) { start -= 1 }
            guard start < end, !("0"..."9").contains(scalars[start]) else { break }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[start..<end])
            names.insert(String(text), at: 0)
            index = start - 1
        }
        return names.isEmpty ? nil : names
    }

    /// Whether the word follows a dot with nothing (a name) before it: an implicit member.
    var isImplicitMember: Bool {
        guard let before = characterBeforeWord, before == "." else { return false }
        return receiverChain() == nil
    }

    /// The innermost call whose parentheses contain the cursor: the chain of names before
    /// its `(` and the labels already written in it.
    func enclosingCall(from position: Int? = nil) -> (
        callee: [String], usedLabels: Set<String>, atArgumentStart: Bool, openParen: Int
    )? {
        var depth = 0
        var index = (position ?? wordStart) - 1
        var inString = false
        while index >= 0 {
            let scalar = scalars[index]
            if scalar == "\"" { inString.toggle() }
            if !inString {
                if scalar == ")" || scalar == "]" || scalar == "}" { depth += 1 }
                if scalar == "(" || scalar == "[" || scalar == "{" {
                    if depth == 0 {
                        guard scalar == "(" else { return nil }
                        guard let callee = calleeChain(endingAt: index) else { return nil }
                        return (callee, usedLabels(from: index + 1), atArgumentStart, index)
                    }
                    depth -= 1
                }
            }
            index -= 1
        }
        return nil
    }

    private var atArgumentStart: Bool {
        var index = wordStart - 1
        while index >= 0, scalars[index] == " " || scalars[index] == "\n" || scalars[index] == "\t"
        {
            index -= 1
        }
        return index >= 0 && (scalars[index] == "(" || scalars[index] == ",")
    }

    private func calleeChain(endingAt paren: Int) -> [String]? {
        var start = paren
        while start > 0, CodeContext.isIdentifier(scalars[start - 1]) { start -= 1 }
        guard start < paren else { return nil }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<paren])
        var chain = receiverChain(before: start) ?? []
        chain.append(String(text))
        return chain
    }

    private func usedLabels(from start: Int) -> Set<String> {
        var labels = Set<String>()
        var index = start
        var wordBegin = start
        while index < wordStart {
            let scalar = scalars[index]
            if !CodeContext.isIdentifier(scalar) {
                if scalar == ":", wordBegin < index {
                    var text = String.UnicodeScalarView()
                    text.append(contentsOf: scalars[wordBegin..<index])
                    labels.insert(String(text))
                }
                wordBegin = index + 1
            }
            index += 1
        }
        return labels
    }

    /// For `label: .wo|`, the label.
    var labelBeforeImplicitMember: String? {
        guard isImplicitMember else { return nil }
        var index = wordStart - 2
        while index >= 0, scalars[index] == " " { index -= 1 }
        guard index >= 0, scalars[index] == ":" else { return nil }
        var end = index
        while end > 0, scalars[end - 1] == " " { end -= 1 }
        var start = end
        while start > 0, CodeContext.isIdentifier(scalars[start - 1]) { start -= 1 }
        guard start < end else { return nil }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<end])
        return String(text)
    }

    /// The text of an unterminated string literal that the cursor is in, and where it starts.
    var openString: (text: String, start: Int)? {
        var lineStart = cursor
        while lineStart > 0, scalars[lineStart - 1] != "\n" { lineStart -= 1 }
        var inString = false
        var start = 0
        var index = lineStart
        while index < cursor {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 2
                continue
            }
            if scalar == "\"" {
                inString.toggle()
                start = index + 1
            }
            index += 1
        }
        guard inString else { return nil }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<cursor])
        return (String(text), start)
    }

    /// Whether the word is a magic's name: `%ti|` at the start of a line.
    var isMagicName: Bool {
        guard let before = characterBeforeWord, before == "%" else { return false }
        var index = wordStart - 2
        if index >= 0, scalars[index] == "%" { index -= 1 }
        return index < 0 || scalars[index] == "\n"
    }
}
