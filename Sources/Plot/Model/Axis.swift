/// One axis of a plot: its title, its scale and optional fixed limits.
///
/// Without limits the axis spans the data with a small margin; ticks fall on "nice" numbers.
///
/// ```swift
/// let x = Axis(label: "learning rate", scale: .log)
/// let y = Axis(label: "accuracy", lowerBound: 0, upperBound: 1)
/// let units = Axis(label: "units", ticks: [AxisTick(0, "32"), AxisTick(1, "64")])
/// ```
public struct Axis: Sendable, Hashable {
    /// The axis title, drawn beside the axis; nil for none.
    public var label: String?
    /// How values map to positions.
    public var scale: AxisScale
    /// The smallest value shown; nil to fit the data.
    public var lowerBound: Double?
    /// The largest value shown; nil to fit the data.
    public var upperBound: Double?
    /// Labelled ticks to draw instead of the planned "nice" ones (categories at 0, 1, 2…,
    /// named coordinates); empty to plan them from the data.
    public var ticks: [AxisTick]

    /// Creates an axis.
    ///
    /// - Parameters:
    ///   - label: the title drawn beside the axis.
    ///   - scale: `.linear` (default) or `.log` (base 10; non-positive values are not drawn).
    ///   - lowerBound: the smallest value shown, or nil to fit the data.
    ///   - upperBound: the largest value shown, or nil to fit the data.
    ///   - ticks: labelled ticks drawn instead of the planned ones (those inside the axis's
    ///     range), or empty to plan them.
    public init(
        label: String? = nil, scale: AxisScale = .linear, lowerBound: Double? = nil,
        upperBound: Double? = nil, ticks: [AxisTick] = []
    ) {
        self.label = label
        self.scale = scale
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.ticks = ticks
    }
}

/// A tick an axis is given: a value and the text drawn there (a category's name at its index).
public struct AxisTick: Sendable, Hashable {
    /// Where the tick is, in the axis's values.
    public var value: Double
    /// The text drawn at the tick.
    public var label: String

    /// A tick labelled `label` at `value`.
    public init(_ value: Double, _ label: String) {
        self.value = value
        self.label = label
    }
}

/// How an axis maps values to positions.
public enum AxisScale: String, Sendable, Hashable, CaseIterable {
    /// Equal distances for equal differences.
    case linear
    /// Equal distances for equal ratios (base 10); ticks at powers of ten.
    case log
}
