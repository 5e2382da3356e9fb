import Foundation

/// Draws a chart with characters for terminals and text/plain: braille dots for lines and
/// points, block elements for bars, histograms, heatmaps and images, fitted to a width in
/// columns; optionally with ANSI colours.
struct TextChartRenderer {
    /// Panels nested deeper than this are left out.
    static let maximumDepth = 6

    let width: Int
    let colors: Bool

    init(width: Int, colors: Bool) {
        self.width = min(max(width, 24), 400)
        self.colors = colors
    }

    func render(_ chart: Chart) -> String {
        render(chart, depth: 0).map(Self.trimmed).joined(separator: "\n")
    }

    private func render(_ chart: Chart, depth: Int) -> [String] {
        guard depth <= Self.maximumDepth else { return [] }
        var lines: [String] = []
        if let title = chart.title, !title.isEmpty {
            lines.append(TerminalWidth.truncated(Table.singleLine(title), to: width))
        }
        switch chart.content {
        case .plot(let plot):
            lines += TextPlotRenderer(plot: plot, width: width, colors: colors).render()
        case .bars(let bars):
            lines += TextBarRenderer(chart: bars, width: width, colors: colors).render()
        case .heatmap(let heatmap):
            lines += TextHeatmapRenderer(heatmap: heatmap, width: width, colors: colors).render()
        case .images(let grid):
            lines += TextImageRenderer(grid: grid, width: width, colors: colors).render()
        case .panels(let charts, _):
            for (index, panel) in charts.enumerated() {
                if index > 0 || !lines.isEmpty { lines.append("") }
                lines += render(panel, depth: depth + 1)
            }
        }
        return lines
    }

    /// Lines without trailing spaces (escape sequences are left alone).
    static func trimmed(_ line: String) -> String {
        var line = line
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    /// Tick labels with an ASCII minus, which every terminal font draws one column wide.
    static func asciiMinus(_ label: String) -> String {
        label.replacingOccurrences(of: "\u{2212}", with: "-")
    }
}

/// Text rendering.
extension Chart {
    /// The chart drawn with characters: braille dots for lines and points, blocks for bars,
    /// histograms, heatmaps and images, with axes, ticks and a legend.
    ///
    /// ```swift
    /// print(chart.text(width: 100))
    /// ```
    ///
    /// - Parameters:
    ///   - width: the widest line, in terminal columns (24…400; default 80).
    ///   - colors: whether to colour series with ANSI escape sequences (default false: series
    ///     are told apart by solid, dashed and dotted lines).
    public func text(width: Int = 80, colors: Bool = false) -> String {
        TextChartRenderer(width: width, colors: colors).render(self)
    }
}
