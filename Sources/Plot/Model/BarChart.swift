/// Bars over named categories; several series are drawn side by side (grouped).
///
/// ```swift
/// let chart = try Chart.bar(
///     categories: ["dense", "pruned", "int8"],
///     series: [BarSeries(name: "accuracy", values: [0.88, 0.87, 0.879])])
/// ```
public struct BarChart: Sendable, Hashable {
    /// Category names, left to right.
    public var categories: [String]
    /// One value per category for each series; missing values draw no bar.
    public var series: [BarSeries]
    /// The value (vertical) axis; bars start at zero on a linear axis.
    public var valueAxis: Axis
    /// A title for the category (horizontal) axis.
    public var categoryLabel: String?
    /// Where the legend goes (shown when a series has a name).
    public var legend: LegendPosition

    /// Creates a bar chart; see `Chart.bar` for a checked version.
    public init(
        categories: [String], series: [BarSeries], valueAxis: Axis = Axis(),
        categoryLabel: String? = nil, legend: LegendPosition = .automatic
    ) {
        self.categories = categories
        self.series = series
        self.valueAxis = valueAxis
        self.categoryLabel = categoryLabel
        self.legend = legend
    }
}

/// One series of a bar chart: a value per category.
public struct BarSeries: Sendable, Hashable {
    /// The name shown in the legend; nil or empty for none.
    public var name: String?
    /// One value per category.
    public var values: [Double]
    /// Bar colour; nil takes the next palette colour.
    public var color: Color?

    /// Creates a bar series.
    public init(name: String? = nil, values: [Double], color: Color? = nil) {
        self.name = name
        self.values = values
        self.color = color
    }
}
