/// The text of one cell (or one `%time` argument, or one interpolation), kept for locations.
///
/// Every position in the syntax tree is a Unicode scalar offset into `scalars`, the unit the
/// Jupyter protocol uses for cursors. Lines and columns are computed on demand, for diagnostics.
final class SourceFile: @unchecked Sendable {
    /// What tracebacks call this source, e.g. `Cell In[3]`.
    let name: String
    /// The source as Unicode scalars; offsets index this array.
    let scalars: [Unicode.Scalar]
    /// Offsets at which each line starts; line `n` (1-based) starts at `lineStarts[n - 1]`.
    let lineStarts: [Int]

    init(name: String, text: String) {
        self.name = name
        self.scalars = Array(text.unicodeScalars)
        var starts = [0]
        for (offset, scalar) in scalars.enumerated() where scalar == "\n" {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    /// The 1-based line and column of `offset` (columns count Unicode scalars).
    func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, scalars.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= clamped { low = middle } else { high = middle - 1 }
        }
        return (low + 1, clamped - lineStarts[low] + 1)
    }

    /// The text of 1-based `line`, without its newline.
    func text(ofLine line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : scalars.count
        if end > start, scalars[end - 1] == "\r" { end -= 1 }
        return text(start..<max(start, end))
    }

    /// The text between two offsets.
    func text(_ range: Range<Int>) -> String {
        let lower = max(0, min(range.lowerBound, scalars.count))
        let upper = max(lower, min(range.upperBound, scalars.count))
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[lower..<upper])
        return String(result)
    }
}

/// A span of source: Unicode scalar offsets `start..<end` into a `SourceFile`.
struct SourceRange: Sendable, Equatable, Hashable {
    var start: Int
    var end: Int

    init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both.
    func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }

    /// Whether `offset` lies in the range or right at its end (where a cursor sits after typing).
    func touches(_ offset: Int) -> Bool { offset >= start && offset <= end }
}

/// A range together with the source it points into: what runtime errors and tracebacks carry.
package struct SourceLocation: @unchecked Sendable {
    let file: SourceFile
    let range: SourceRange
}
