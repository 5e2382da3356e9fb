/// How a table is drawn as text.
public enum TableTextStyle: String, Sendable, Hashable, CaseIterable {
    /// Box-drawing borders around every cell.
    case box
    /// Columns separated by spaces, the header underlined (pandas, Keras style).
    case plain
}

extension Table {
    /// The table as aligned text for terminals and text/plain.
    ///
    /// ```
    /// Trials
    /// ┌───────┬───────────────┬──────────┐
    /// │ trial │ learning rate │ accuracy │
    /// ├───────┼───────────────┼──────────┤
    /// │     1 │        0.0010 │    87.1% │
    /// │     2 │        0.0100 │    88.4% │ ◀
    /// └───────┴───────────────┴──────────┘
    /// ```
    ///
    /// - Parameters:
    ///   - style: `.box` (default) or `.plain`.
    ///   - maxWidth: the widest line allowed, in terminal columns; wide text columns are cut
    ///     with "…" to fit. Nil for no limit.
    /// - Returns: the lines joined by "\n", without a trailing newline.
    public func text(style: TableTextStyle = .box, maxWidth: Int? = nil) -> String {
        let headers = columns.map { Self.singleLine($0.name) }
        var body = formattedRows()
        let alignments = resolvedAlignments()
        var widths = headers.map(TerminalWidth.columns(of:))
        for row in body {
            for (column, cell) in row.enumerated() {
                widths[column] = max(widths[column], TerminalWidth.columns(of: cell))
            }
        }
        if let maxWidth {
            shrink(&widths, to: maxWidth, style: style)
            body = body.map { row in
                row.enumerated().map { TerminalWidth.truncated($1, to: widths[$0]) }
            }
        }
        let header = headers.enumerated().map { TerminalWidth.truncated($1, to: widths[$0]) }
        var lines: [String] = []
        if let title, !title.isEmpty { lines.append(Self.singleLine(title)) }
        switch style {
        case .box:
            func rule(_ left: String, _ middle: String, _ right: String) -> String {
                left
                    + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle)
                    + right
            }
            func line(_ cells: [String], _ align: [TableAlignment]) -> String {
                "│ "
                    + cells.enumerated().map {
                        TerminalWidth.padded($1, to: widths[$0], alignment: align[$0])
                    }.joined(separator: " │ ") + " │"
            }
            lines.append(rule("┌", "┬", "┐"))
            lines.append(line(header, alignments))
            lines.append(rule("├", "┼", "┤"))
            for (index, row) in body.enumerated() {
                lines.append(line(row, alignments) + (index == highlightedRow ? " ◀" : ""))
            }
            lines.append(rule("└", "┴", "┘"))
        case .plain:
            func line(_ cells: [String], _ align: [TableAlignment]) -> String {
                cells.enumerated().map {
                    TerminalWidth.padded($1, to: widths[$0], alignment: align[$0])
                }.joined(separator: "  ")
            }
            lines.append(line(header, alignments))
            lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
            for (index, row) in body.enumerated() {
                let text = line(row, alignments)
                lines.append(index == highlightedRow ? text + "  ◀" : text)
            }
        }
        if let caption, !caption.isEmpty { lines.append(Self.singleLine(caption)) }
        return lines.map(Self.trimmingTrailingSpaces).joined(separator: "\n")
    }

    /// Narrows the widest columns (never below 4) until the table fits `maxWidth`.
    private func shrink(_ widths: inout [Int], to maxWidth: Int, style: TableTextStyle) {
        let overhead =
            style == .box ? 3 * widths.count + 1 : 2 * max(widths.count - 1, 0)
        let marker = highlightedRow == nil ? 0 : 3
        while widths.reduce(0, +) + overhead + marker > maxWidth {
            guard let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
                widths[widest] > 4
            else { return }
            widths[widest] -= 1
        }
    }

    private static func trimmingTrailingSpaces(_ line: String) -> String {
        var line = line
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }
}
