/// Values of a surface sampled on a rectangular grid, and the lines where it crosses a level
/// (marching squares; a saddle cell is resolved by the mean of its corners).
///
/// ```swift
/// let grid = try ContourGrid(xs: [0, 1, 2], ys: [0, 1], values: [[0, 1, 2], [1, 2, 3]])
/// let lines = grid.line(at: 1.5, name: "1.5", color: Palette.color(at: 0))
/// let chart = Chart(content: .plot(XYPlot(marks: [.line(lines)])))
/// ```
public struct ContourGrid: Sendable, Hashable {
    /// The grid's x coordinates, increasing.
    public let xs: [Double]
    /// The grid's y coordinates, increasing.
    public let ys: [Double]
    /// `values[row][column]` is the surface at (`xs[column]`, `ys[row]`).
    public let values: [[Double]]

    /// A grid of `values`, one row per y and one column per x.
    ///
    /// - Throws: `PlotError.invalidDimensions` for fewer than two coordinates on an axis,
    ///   `PlotError.raggedRows` when the rows do not match the coordinates.
    public init(xs: [Double], ys: [Double], values: [[Double]]) throws(PlotError) {
        guard xs.count >= 2, ys.count >= 2 else {
            throw .invalidDimensions(width: xs.count, height: ys.count)
        }
        guard values.count == ys.count else {
            throw .raggedRows(expected: ys.count, row: values.count, found: values.count)
        }
        for (row, line) in values.enumerated() where line.count != xs.count {
            throw .raggedRows(expected: xs.count, row: row, found: line.count)
        }
        self.xs = xs
        self.ys = ys
        self.values = values
    }

    /// The smallest and largest finite values, or nil when there are none.
    public var valueRange: ClosedRange<Double>? {
        let finite = values.joined().filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return low...high
    }

    /// The pieces of the line where the surface crosses `level`, each from one grid cell.
    /// Cells with a non-finite corner have none.
    public func segments(at level: Double) -> [ContourSegment] {
        var found: [ContourSegment] = []
        for row in 0..<(ys.count - 1) {
            for column in 0..<(xs.count - 1) {
                found += cellSegments(row: row, column: column, level: level)
            }
        }
        return found
    }

    /// The contour at `level` as one line series, its pieces separated by breaks.
    public func line(at level: Double, name: String?, color: Color?, lineWidth: Double = 1.5)
        -> LineSeries
    {
        var x: [Double] = []
        var y: [Double] = []
        for segment in segments(at: level) {
            x += [segment.x0, segment.x1, .nan]
            y += [segment.y0, segment.y1, .nan]
        }
        return LineSeries(name: name, x: x, y: y, color: color, lineWidth: lineWidth)
    }

    /// Marching squares in one cell: corners 0 (bottom left), 1 (bottom right), 2 (top right),
    /// 3 (top left); edges 0 (bottom), 1 (right), 2 (top), 3 (left).
    private func cellSegments(row: Int, column: Int, level: Double) -> [ContourSegment] {
        let corners = [
            values[row][column], values[row][column + 1], values[row + 1][column + 1],
            values[row + 1][column],
        ]
        guard corners.allSatisfy(\.isFinite) else { return [] }
        let above = corners.map { $0 >= level }
        let pattern = above.enumerated().reduce(0) { $0 | ($1.element ? 1 << $1.offset : 0) }
        guard pattern != 0, pattern != 15 else { return [] }
        let (x0, x1, y0, y1) = (xs[column], xs[column + 1], ys[row], ys[row + 1])
        let points = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        // The point where edge `edge` (from corner edge to corner edge + 1) crosses the level.
        func crossing(_ edge: Int) -> (Double, Double) {
            let a = edge
            let b = (edge + 1) % 4
            let span = corners[b] - corners[a]
            let t = span == 0 ? 0.5 : min(max((level - corners[a]) / span, 0), 1)
            return (
                points[a].0 + t * (points[b].0 - points[a].0),
                points[a].1 + t * (points[b].1 - points[a].1)
            )
        }
        func segment(_ first: Int, _ second: Int) -> ContourSegment {
            let (p, q) = (crossing(first), crossing(second))
            return ContourSegment(x0: p.0, y0: p.1, x1: q.0, y1: q.1)
        }
        // The edges a level crosses are those whose corners differ.
        let crossed = (0..<4).filter { above[$0] != above[($0 + 1) % 4] }
        if crossed.count == 2 { return [segment(crossed[0], crossed[1])] }
        // A saddle: corners 0 and 2 on one side, 1 and 3 on the other.
        let centre = corners.reduce(0, +) / 4
        if (centre >= level) == above[0] {
            // Corner 0's side joins through the middle: cut off corners 1 and 3.
            return [segment(0, 1), segment(2, 3)]
        }
        return [segment(3, 0), segment(1, 2)]
    }
}

/// A straight piece of a contour line, from (`x0`, `y0`) to (`x1`, `y1`).
public struct ContourSegment: Sendable, Hashable {
    /// The start's x.
    public var x0: Double
    /// The start's y.
    public var y0: Double
    /// The end's x.
    public var x1: Double
    /// The end's y.
    public var y1: Double
}
