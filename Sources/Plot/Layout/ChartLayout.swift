/// Turns a chart into a scene: the title, then the content laid out in the space below it.
enum ChartLayout {
    /// Panels nested deeper than this are left empty (a chart value can nest without end).
    static let maximumDepth = 6

    /// The whole chart as a scene of its drawn size.
    static func scene(for chart: Chart) -> Scene {
        var scene = Scene(
            width: chart.drawnWidth, height: chart.drawnHeight, background: Theme.background,
            description: chart.title)
        layout(
            chart, in: Rect(x: 0, y: 0, width: chart.drawnWidth, height: chart.drawnHeight),
            into: &scene, depth: 0)
        return scene
    }

    /// Lays `chart` out in `frame`, ignoring the chart's own size (panels share a figure).
    static func layout(_ chart: Chart, in frame: Rect, into scene: inout Scene, depth: Int) {
        guard depth <= maximumDepth else { return }
        var content = frame
        if let title = chart.title, !title.isEmpty {
            let size = depth == 0 ? Theme.titleSize : Theme.titleSize - 2
            let available = frame.width - 2 * Theme.padding
            scene.add(
                .text(
                    TextRun(
                        text: TextFitting.truncated(
                            title, width: available, size: size, weight: .bold),
                        position: Point(x: frame.minX + Theme.padding, y: frame.minY + 22),
                        size: size, weight: .bold, color: Theme.titleColor)))
            content = Rect(
                x: frame.minX, y: frame.minY + 30, width: frame.width,
                height: max(frame.height - 30, 1))
        }
        switch chart.content {
        case .plot(let plot):
            PlotLayout(plot: plot, frame: content).draw(into: &scene)
        case .bars(let bars):
            BarLayout(chart: bars, frame: content).draw(into: &scene)
        case .heatmap(let heatmap):
            HeatmapLayout(heatmap: heatmap, frame: content).draw(into: &scene)
        case .images(let grid):
            ImageGridLayout(grid: grid, frame: content).draw(into: &scene)
        case .panels(let charts, let columns):
            let perRow = min(max(columns, 1), max(charts.count, 1))
            let rows = max((charts.count + perRow - 1) / perRow, 1)
            let width = content.width / Double(perRow)
            let height = content.height / Double(rows)
            for (index, panel) in charts.enumerated() {
                let cell = Rect(
                    x: content.minX + Double(index % perRow) * width,
                    y: content.minY + Double(index / perRow) * height, width: width, height: height)
                layout(panel, in: cell, into: &scene, depth: depth + 1)
            }
        }
    }
}

/// Shortening text to a width, with an ellipsis.
enum TextFitting {
    static func truncated(
        _ text: String, width: Double, size: Double, weight: FontWeight = .regular
    ) -> String {
        guard FontMetrics.width(of: text, size: size, weight: weight) > width else { return text }
        var characters = Array(text)
        while !characters.isEmpty
            && FontMetrics.width(of: String(characters) + "…", size: size, weight: weight) > width
        {
            characters.removeLast()
        }
        return characters.isEmpty ? "" : String(characters) + "…"
    }
}
