/// A grid of values drawn as coloured cells, with optional labels, annotations and a colour bar.
///
/// Rows go top to bottom, columns left to right (as a matrix is written).
///
/// ```swift
/// let matrix = try Heatmap.confusionMatrix(counts, classNames: ["T-shirt", "Trouser", …])
/// let chart = Chart.heatmap(matrix, title: "Confusion matrix")
/// ```
public struct Heatmap: Sendable, Hashable {
    /// Number of rows.
    public let rowCount: Int
    /// Number of columns.
    public let columnCount: Int
    /// `rowCount * columnCount` values, row by row; non-finite values are drawn as empty cells.
    public let values: [Double]
    /// One label per row (drawn left), or empty for row numbers.
    public var rowLabels: [String]
    /// One label per column (drawn below), or empty for column numbers.
    public var columnLabels: [String]
    /// Title of the horizontal axis (the columns), e.g. "predicted".
    public var xLabel: String?
    /// Title of the vertical axis (the rows), e.g. "true".
    public var yLabel: String?
    /// The colours values map to.
    public var colormap: Colormap
    /// The values drawn at the two ends of the colormap; nil for the data's range.
    public var range: ClosedRange<Double>?
    /// Whether cells show their value as text.
    public var annotation: HeatmapAnnotation
    /// Whether a colour bar with ticks is drawn beside the grid.
    public var showsColorBar: Bool

    /// Creates a heatmap from rows of values.
    ///
    /// - Throws: `PlotError.invalidDimensions` for no rows or columns,
    ///   `PlotError.raggedRows` when rows differ in length, `PlotError.labelCountMismatch` when
    ///   labels are given but do not match.
    public init(
        rows: [[Double]], rowLabels: [String] = [], columnLabels: [String] = [],
        colormap: Colormap = .viridis, annotation: HeatmapAnnotation = .automatic
    ) throws {
        let columns = rows.first?.count ?? 0
        for (index, row) in rows.enumerated() where row.count != columns {
            throw PlotError.raggedRows(expected: columns, row: index, found: row.count)
        }
        try self.init(
            values: rows.flatMap { $0 }, rowCount: rows.count, columnCount: columns,
            rowLabels: rowLabels, columnLabels: columnLabels, colormap: colormap,
            annotation: annotation)
    }

    /// Creates a heatmap from row-major values (a flattened matrix or tensor).
    ///
    /// - Parameters:
    ///   - values: `rowCount * columnCount` values, row by row.
    ///   - rowCount: number of rows.
    ///   - columnCount: number of columns.
    ///   - rowLabels: one per row, or empty.
    ///   - columnLabels: one per column, or empty.
    ///   - colormap: the colours (default viridis).
    ///   - annotation: whether cells show their values (default: when they fit).
    public init(
        values: [Double], rowCount: Int, columnCount: Int, rowLabels: [String] = [],
        columnLabels: [String] = [], colormap: Colormap = .viridis,
        annotation: HeatmapAnnotation = .automatic
    ) throws {
        let limit = ImagePixels.maximumSide
        guard (1...limit).contains(rowCount), (1...limit).contains(columnCount) else {
            throw PlotError.invalidDimensions(width: columnCount, height: rowCount)
        }
        guard values.count == rowCount * columnCount else {
            throw PlotError.raggedRows(
                expected: columnCount, row: values.count / columnCount,
                found: values.count % columnCount)
        }
        guard rowLabels.isEmpty || rowLabels.count == rowCount else {
            throw PlotError.labelCountMismatch(
                axis: "row", expected: rowCount, found: rowLabels.count)
        }
        guard columnLabels.isEmpty || columnLabels.count == columnCount else {
            throw PlotError.labelCountMismatch(
                axis: "column", expected: columnCount, found: columnLabels.count)
        }
        self.values = values
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.colormap = colormap
        self.annotation = annotation
        self.range = nil
        self.showsColorBar = true
    }

    /// A confusion matrix: rows are true classes, columns predicted classes, cells counted (or,
    /// when `normalized`, the fraction of each true class), shaded in blues and annotated.
    ///
    /// - Throws: as `init(rows:)`; also when `counts` is not square or the class names do not
    ///   match its size.
    public static func confusionMatrix(
        _ counts: [[Int]], classNames: [String] = [], normalized: Bool = false
    ) throws -> Heatmap {
        guard counts.allSatisfy({ $0.count == counts.count }) else {
            let bad = counts.firstIndex(where: { $0.count != counts.count }) ?? 0
            throw PlotError.raggedRows(expected: counts.count, row: bad, found: counts[bad].count)
        }
        let rows = counts.map { row -> [Double] in
            let total = row.reduce(0.0) { $0 + Double($1) }
            return row.map { normalized ? (total > 0 ? Double($0) / total : 0) : Double($0) }
        }
        var heatmap = try Heatmap(
            rows: rows, rowLabels: classNames, columnLabels: classNames, colormap: .blues,
            annotation: normalized ? .format(.fixed(2)) : .format(.grouped))
        heatmap.xLabel = "predicted"
        heatmap.yLabel = "true"
        let largest = rows.flatMap { $0 }.max() ?? 0
        heatmap.range = normalized ? 0...1 : 0...max(largest, 1)
        return heatmap
    }

    /// The value at (`row`, `column`); both must be in range.
    func value(row: Int, column: Int) -> Double {
        values[row * columnCount + column]
    }
}

/// Whether heatmap cells show their values.
public enum HeatmapAnnotation: Sendable, Hashable {
    /// Values shown when cells are large enough for the text.
    case automatic
    /// No values shown.
    case hidden
    /// Values always shown (if they fit), in this format.
    case format(NumberFormat)
}
