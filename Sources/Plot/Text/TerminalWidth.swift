/// How many terminal columns text takes: East Asian wide characters and emoji take two,
/// combining marks and control characters none, everything else one.
enum TerminalWidth {
    static func columns(of text: String) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    static func columns(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        let value = first.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        if (0x0300...0x036F).contains(value) || value == 0x200B || value == 0x200D { return 0 }
        if FontMetrics.isWide(value)
            || character.unicodeScalars.contains(where: { $0.value == 0xFE0F })
        {
            return 2
        }
        return 1
    }

    /// Legend entries laid out in as many lines as `width` needs, `gap` columns apart; an entry
    /// is never split or dropped (one wider than `width` stands alone on its line). Entries may
    /// hold ANSI colour sequences, which take no columns.
    static func flowed(_ entries: [String], gap: Int = 3, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var used = 0
        for entry in entries {
            let visible = columns(of: entry.replacingANSI())
            if used > 0 && used + gap + visible > width {
                lines.append(line)
                line = ""
                used = 0
            }
            line += (used > 0 ? String(repeating: " ", count: gap) : "") + entry
            used += (used > 0 ? gap : 0) + visible
        }
        if used > 0 { lines.append(line) }
        return lines
    }

    /// `text` cut to at most `width` columns, ending with "…" when cut.
    static func truncated(_ text: String, to width: Int) -> String {
        guard columns(of: text) > width else { return text }
        guard width > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let needed = columns(of: character)
            if used + needed > width - 1 { break }
            result.append(character)
            used += needed
        }
        return result + "…"
    }

    /// `text` padded with spaces to `width` columns, aligned as asked.
    static func padded(_ text: String, to width: Int, alignment: TableAlignment) -> String {
        let gap = max(width - columns(of: text), 0)
        switch alignment {
        case .left: return text + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + text
        case .center:
            let before = gap / 2
            return String(repeating: " ", count: before) + text
                + String(repeating: " ", count: gap - before)
        }
    }
}
