import Display

extension Table {
    /// The table as a plain HTML `<table>` that takes the front end's own styling: no colours,
    /// fonts or borders, only per-column alignment (and tabular digits in numeric columns so
    /// that numbers line up). The title is the `<caption>`, the caption a `<tfoot>` row, the
    /// highlighted row is bold and carries the class `best`.
    ///
    /// ```swift
    /// bundle[.html] = table.html()
    /// ```
    public func html() -> String {
        let alignments = resolvedAlignments()
        let styles = alignments.map { alignment -> String in
            alignment == .right
                ? " style=\"text-align:right;font-variant-numeric:tabular-nums\""
                : " style=\"text-align:\(alignment.rawValue)\""
        }
        var out = "<table>\n"
        if let title, !title.isEmpty {
            // On one line from the table's left edge, without widening a narrow table (its
            // width does not count towards the table's), rather than wrapped into a column.
            out +=
                "<caption style=\"\(Self.captionStyle)\">\(MarkupText.escaped(title))</caption>\n"
        }
        out += "<thead><tr>"
        for (index, column) in columns.enumerated() {
            out += "<th\(styles[index])>\(MarkupText.escaped(column.name))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for (rowIndex, row) in formattedRows().enumerated() {
            let highlighted = rowIndex == highlightedRow
            out += highlighted ? "<tr class=\"best\">" : "<tr>"
            for (index, cell) in row.enumerated() {
                let text = MarkupText.escaped(cell)
                out += "<td\(styles[index])>\(highlighted ? "<strong>\(text)</strong>" : text)</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n"
        if let caption, !caption.isEmpty {
            out += "<tfoot><tr><td colspan=\"\(max(columns.count, 1))\" style=\"text-align:left\">"
            out += "\(MarkupText.escaped(caption))</td></tr></tfoot>\n"
        }
        out += "</table>"
        return out
    }
}

extension Table {
    /// The style of a table's title.
    static let captionStyle = "text-align:left;white-space:nowrap;contain:inline-size"
}
