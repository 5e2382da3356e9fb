/// Rendering a chart to each of its formats.
extension Chart {
    /// The chart as a standalone SVG document (image/svg+xml), deterministic and well-formed.
    ///
    /// ```swift
    /// let svg = Chart.line([LineSeries(y: [3, 1, 2])]).svg()
    /// ```
    public func svg() -> String {
        SVGRenderer().render(ChartLayout.scene(for: self))
    }

    /// A one-line description: the title and what the chart holds.
    public var summary: String {
        let kind: String
        switch content {
        case .plot(let plot):
            let lines = plot.marks.filter { if case .line = $0 { true } else { false } }.count
            let scatters = plot.marks.filter { if case .scatter = $0 { true } else { false } }.count
            let histograms = plot.marks.count - lines - scatters
            let parts = [
                (lines, "line"), (scatters, "scatter series"), (histograms, "histogram"),
            ].filter { $0.0 > 0 }.map {
                "\($0.0) \($0.1)\($0.0 > 1 && !$0.1.hasSuffix("s") ? "s" : "")"
            }
            kind = parts.isEmpty ? "empty plot" : parts.joined(separator: ", ")
        case .bars(let bars):
            kind = "bar chart, \(bars.categories.count) categories × \(bars.series.count) series"
        case .heatmap(let heatmap):
            kind = "heatmap \(heatmap.rowCount)×\(heatmap.columnCount)"
        case .images(let grid):
            kind = "\(grid.images.count) image\(grid.images.count == 1 ? "" : "s")"
        case .panels(let charts, _):
            kind = "\(charts.count) panels"
        }
        let title = (self.title ?? "").isEmpty ? "Chart" : "Chart \"\(self.title ?? "")\""
        return "\(title): \(kind)"
    }
}
