/// Reads a script whose cells are separated by `// %%` lines (the "percent" format of
/// VS Code, Spyder and jupytext) as a notebook.
///
/// `// %% [markdown]` starts a markdown cell whose lines lose their leading `// `. Text after
/// `// %%` is a title and is dropped. Blank lines around a cell are trimmed; empty cells vanish.
///
/// ```swift
/// let notebook = ScriptCells.notebook(from: "let x = 1\n// %%\nx + 1\n")  // two code cells
/// ```
public enum ScriptCells {
    /// The notebook made of the cells of `script`.
    public static func notebook(from script: String) -> Notebook {
        var cells: [NotebookCell] = []
        var kind = NotebookCell.Kind.code
        var lines: [Substring] = []
        func finish() {
            while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
            while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
            if !lines.isEmpty {
                let text = lines.map { kind == .markdown ? uncommented($0) : $0 }.joined(
                    separator: "\n")
                cells.append(NotebookCell(kind: kind, source: text))
            }
            lines = []
        }
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.hasPrefix("// %%") {
                finish()
                kind = trimmed.dropFirst(5).contains("[markdown]") ? .markdown : .code
            } else {
                lines.append(line.hasSuffix("\r") ? line.dropLast() : line)
            }
        }
        finish()
        return Notebook(cells: cells)
    }

    private static func uncommented(_ line: Substring) -> Substring {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        if trimmed.hasPrefix("// ") { return trimmed.dropFirst(3) }
        if trimmed.hasPrefix("//") { return trimmed.dropFirst(2) }
        return line
    }
}
