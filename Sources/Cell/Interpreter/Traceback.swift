import KernelInterface

/// Turns failures and syntax diagnostics into what Jupyter shows: the error's name, its
/// one-line cause, and traceback lines with each position's source line and a caret.
///
/// ```
/// Traceback (most recent call last):
///   Cell In[4], line 1, column 1, in <cell>
///     f(2)
///     ^~~~
///   Cell In[3], line 2, column 12, in f
///         return x + "a"
///                ^~~~~~~
/// TypeError: cannot add values of type Int and String
/// ```
enum Traceback {
    /// The error for a failure raised while running.
    static func error(for failure: Failure) -> ExecutionError {
        let error = failure.error
        var lines: [String] = []
        let frames = failure.frames.reversed()
        if frames.count > 1 {
            lines.append("Traceback (most recent call last):")
            for frame in frames {
                lines.append(contentsOf: excerpt(frame.location, function: frame.function))
            }
        } else if let frame = frames.first {
            lines.append(contentsOf: excerpt(frame.location, function: frame.function))
        } else if let location = failure.location {
            lines.append(contentsOf: excerpt(location, function: nil))
        }
        lines.append("\(error.name): \(error.message)")
        return ExecutionError(name: error.name, value: error.message, traceback: lines)
    }

    /// The error for a cell that does not parse: every diagnostic (up to a few) with its
    /// position.
    static func syntaxError(_ diagnostics: [Diagnostic], in file: SourceFile) -> ExecutionError {
        var lines: [String] = []
        for diagnostic in diagnostics.prefix(5) {
            lines.append(
                contentsOf: excerpt(
                    SourceLocation(file: file, range: diagnostic.range), function: nil))
            lines.append("SyntaxError: \(diagnostic.message)")
        }
        if diagnostics.count > 5 { lines.append("(\(diagnostics.count - 5) more problems)") }
        let first = diagnostics.first?.message ?? "invalid syntax"
        return ExecutionError(name: "SyntaxError", value: first, traceback: lines)
    }

    /// The error for a cell that parses but cannot be compiled.
    static func compileError(
        _ problems: [(error: CellError, range: SourceRange)], in file: SourceFile
    ) -> ExecutionError {
        var lines: [String] = []
        for problem in problems.prefix(5) {
            lines.append(
                contentsOf: excerpt(SourceLocation(file: file, range: problem.range), function: nil)
            )
            lines.append("\(problem.error.name): \(problem.error.message)")
        }
        let first = problems.first?.error ?? .invalidValue("the cell cannot be compiled")
        return ExecutionError(name: first.name, value: first.message, traceback: lines)
    }

    /// `  Cell In[3], line 2, column 5, in f`, the source line, and a caret under the range.
    static func excerpt(_ location: SourceLocation, function: String?) -> [String] {
        let file = location.file
        let (line, column) = file.lineAndColumn(of: location.range.start)
        var header = "  \(file.name), line \(line), column \(column)"
        if let function { header += ", in \(function)" }
        let text = file.text(ofLine: line)
        let endPosition = file.lineAndColumn(of: location.range.end)
        let width =
            endPosition.line == line
            ? max(1, endPosition.column - column) : max(1, text.unicodeScalars.count - column + 1)
        let leading = text.unicodeScalars.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }
            .joined()
        let marker = "^" + String(repeating: "~", count: max(0, min(width, 200) - 1))
        return [header, "    " + text, "    " + leading + marker]
    }
}
