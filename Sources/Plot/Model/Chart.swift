/// A chart: what to show, with a title and a size, independent of how it is rendered.
///
/// Build one with the constructors in `Chart+Kinds.swift` (`Chart.line`, `.scatter`, `.bar`,
/// `.histogram`, `.heatmap`, `.images`, `.panels`), then render it with `svg()`, `png()`,
/// `text()` or `mimeBundle()`, or save it with `write(to:)`.
///
/// ```swift
/// let chart = Chart.line(
///     [LineSeries(name: "train", y: losses), LineSeries(name: "val", y: valLosses)],
///     title: "Loss", x: Axis(label: "epoch"), y: Axis(label: "loss"))
/// let bundle = chart.mimeBundle()
/// ```
public struct Chart: Sendable, Hashable {
    /// The smallest width or height, in CSS pixels.
    public static let minimumSide = 48.0
    /// The largest width or height, in CSS pixels (the PNG is twice as large).
    public static let maximumSide = 2_000.0

    /// The title drawn above the chart, or nil.
    public var title: String?
    /// Width in CSS pixels (clamped to `minimumSide…maximumSide` when drawn).
    public var width: Double
    /// Height in CSS pixels (clamped to `minimumSide…maximumSide` when drawn).
    public var height: Double
    /// What the chart shows.
    public var content: ChartContent

    /// Creates a chart.
    ///
    /// - Parameters:
    ///   - title: drawn above the chart.
    ///   - width: in CSS pixels (default 640).
    ///   - height: in CSS pixels (default 400).
    ///   - content: the plot, bars, heatmap, images or panels.
    public init(
        title: String? = nil, width: Double = 640, height: Double = 400, content: ChartContent
    ) {
        self.title = title
        self.width = width
        self.height = height
        self.content = content
    }

    /// The width actually drawn: `width` clamped to the allowed range (NaN gives the default).
    var drawnWidth: Double { Self.clampedSide(width, fallback: 640) }
    /// The height actually drawn.
    var drawnHeight: Double { Self.clampedSide(height, fallback: 400) }

    private static func clampedSide(_ side: Double, fallback: Double) -> Double {
        guard !side.isNaN else { return fallback }
        return min(max(side, minimumSide), maximumSide).rounded()
    }
}

/// What a chart shows.
public enum ChartContent: Sendable, Hashable {
    /// Lines, scatter points and histograms on numeric axes.
    case plot(XYPlot)
    /// Grouped bars over categories.
    case bars(BarChart)
    /// A grid of coloured cells.
    case heatmap(Heatmap)
    /// A grid of images with captions.
    case images(ImageGrid)
    /// Several charts side by side, `columns` per row, sharing the space equally.
    case panels([Chart], columns: Int)
}
