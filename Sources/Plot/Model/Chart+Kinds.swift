/// Ready-made chart kinds: one call per kind, with plain Swift inputs.
extension Chart {
    /// A line chart of one or more series.
    ///
    /// ```swift
    /// Chart.line([LineSeries(name: "loss", y: [0.9, 0.5, 0.4])], title: "Loss",
    ///            x: Axis(label: "epoch"), y: Axis(label: "loss", scale: .log))
    /// ```
    ///
    /// - Parameters:
    ///   - series: the lines, drawn in order.
    ///   - title: drawn above the chart.
    ///   - x: the horizontal axis.
    ///   - y: the vertical axis.
    ///   - legend: legend placement.
    public static func line(
        _ series: [LineSeries], title: String? = nil, x: Axis = Axis(), y: Axis = Axis(),
        legend: LegendPosition = .automatic
    ) -> Chart {
        Chart(
            title: title,
            content: .plot(
                XYPlot(xAxis: x, yAxis: y, marks: series.map(PlotMark.line), legend: legend)))
    }

    /// A scatter chart of one or more point sets.
    ///
    /// - Parameters:
    ///   - series: the point sets, drawn in order.
    ///   - title: drawn above the chart.
    ///   - x: the horizontal axis.
    ///   - y: the vertical axis.
    ///   - legend: legend placement.
    public static func scatter(
        _ series: [ScatterSeries], title: String? = nil, x: Axis = Axis(), y: Axis = Axis(),
        legend: LegendPosition = .automatic
    ) -> Chart {
        Chart(
            title: title,
            content: .plot(
                XYPlot(xAxis: x, yAxis: y, marks: series.map(PlotMark.scatter), legend: legend)))
    }

    /// A histogram chart; several histograms overlap with some transparency.
    ///
    /// ```swift
    /// Chart.histogram([try Histogram(values: weights)], title: "Weights", x: Axis(label: "w"))
    /// ```
    public static func histogram(
        _ histograms: [Histogram], title: String? = nil, x: Axis = Axis(),
        y: Axis = Axis(label: "count"), legend: LegendPosition = .automatic
    ) -> Chart {
        Chart(
            title: title,
            content: .plot(
                XYPlot(
                    xAxis: x, yAxis: y, marks: histograms.map(PlotMark.histogram), legend: legend)
            ))
    }

    /// A bar chart over categories; several series are grouped side by side.
    ///
    /// ```swift
    /// try Chart.bar(categories: ["SGD", "Adam"],
    ///               series: [BarSeries(name: "accuracy", values: [0.84, 0.88])])
    /// ```
    ///
    /// - Throws: `PlotError.barCountMismatch` when a series does not have one value per category.
    public static func bar(
        categories: [String], series: [BarSeries], title: String? = nil,
        valueAxis: Axis = Axis(), categoryLabel: String? = nil,
        legend: LegendPosition = .automatic
    ) throws -> Chart {
        for (index, item) in series.enumerated() where item.values.count != categories.count {
            throw PlotError.barCountMismatch(
                series: item.name ?? "#\(index + 1)", expected: categories.count,
                found: item.values.count)
        }
        return Chart(
            title: title,
            content: .bars(
                BarChart(
                    categories: categories, series: series, valueAxis: valueAxis,
                    categoryLabel: categoryLabel, legend: legend)))
    }

    /// A heatmap chart, sized so that cells are square.
    public static func heatmap(_ heatmap: Heatmap, title: String? = nil) -> Chart {
        let aspect = Double(heatmap.rowCount) / Double(max(heatmap.columnCount, 1))
        let gridWidth = 400.0
        let height = min(max(gridWidth * aspect, 120), 900) + (title == nil ? 110 : 140)
        return Chart(title: title, width: 600, height: height, content: .heatmap(heatmap))
    }

    /// An image grid chart, sized from the number of rows and columns.
    ///
    /// ```swift
    /// Chart.images(ImageGrid(images: samples, columns: 8), title: "Fashion-MNIST")
    /// ```
    public static func images(_ grid: ImageGrid, title: String? = nil) -> Chart {
        let columns = grid.resolvedColumns
        let rows = max(grid.resolvedRows, 1)
        let cellWidth = min(max(560 / Double(columns), 48), 160)
        let aspect = grid.images.first.map { Double($0.pixels.height) / Double($0.pixels.width) }
        let hasCaptions = grid.images.contains { !($0.caption ?? "").isEmpty }
        let cellHeight = cellWidth * (aspect ?? 1) + (hasCaptions ? 22 : 6)
        let width = cellWidth * Double(columns) + 24
        let height = cellHeight * Double(rows) + (title == nil ? 16 : 44)
        return Chart(title: title, width: width, height: height, content: .images(grid))
    }

    /// Charts side by side in a grid of `columns` per row; each panel keeps its own title.
    ///
    /// ```swift
    /// Chart.panels([lossChart, accuracyChart], columns: 2, title: "History")
    /// ```
    public static func panels(_ charts: [Chart], columns: Int = 2, title: String? = nil) -> Chart {
        let perRow = min(max(columns, 1), max(charts.count, 1))
        let rows = (charts.count + perRow - 1) / perRow
        return Chart(
            title: title, width: 440 * Double(perRow),
            height: 320 * Double(max(rows, 1)) + (title == nil ? 0 : 32),
            content: .panels(charts, columns: perRow))
    }
}
