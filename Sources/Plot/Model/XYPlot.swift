/// Marks drawn against a numeric x axis and a numeric y axis: lines, scatter points and
/// histograms, with a legend.
///
/// ```swift
/// var plot = XYPlot(xAxis: Axis(label: "epoch"), yAxis: Axis(label: "loss"))
/// plot.marks.append(.line(LineSeries(name: "train", y: losses)))
/// let chart = Chart(title: "Training", content: .plot(plot))
/// ```
public struct XYPlot: Sendable, Hashable {
    /// The horizontal axis.
    public var xAxis: Axis
    /// The vertical axis.
    public var yAxis: Axis
    /// What is drawn, in drawing order (later marks on top).
    public var marks: [PlotMark]
    /// Where the legend goes.
    public var legend: LegendPosition

    /// Creates a plot.
    ///
    /// - Parameters:
    ///   - xAxis: the horizontal axis.
    ///   - yAxis: the vertical axis.
    ///   - marks: lines, scatter series and histograms.
    ///   - legend: legend placement (default: the emptiest corner inside the plot).
    public init(
        xAxis: Axis = Axis(), yAxis: Axis = Axis(), marks: [PlotMark] = [],
        legend: LegendPosition = .automatic
    ) {
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.marks = marks
        self.legend = legend
    }
}

/// One thing drawn in an `XYPlot`.
public enum PlotMark: Sendable, Hashable {
    /// Points joined by a line.
    case line(LineSeries)
    /// Unconnected points.
    case scatter(ScatterSeries)
    /// Adjacent bars over bins.
    case histogram(Histogram)
}

/// Where a legend is drawn.
public enum LegendPosition: String, Sendable, Hashable, CaseIterable {
    /// The inside corner that covers the fewest data points (top right on a tie).
    case automatic
    /// Inside, top left.
    case topLeft
    /// Inside, top right.
    case topRight
    /// Inside, bottom left.
    case bottomLeft
    /// Inside, bottom right.
    case bottomRight
    /// No legend.
    case hidden
}
