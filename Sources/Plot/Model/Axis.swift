/// One axis of a plot: its title, its scale and optional fixed limits.
///
/// Without limits the axis spans the data with a small margin; ticks fall on "nice" numbers.
///
/// ```swift
/// let x = Axis(label: "learning rate", scale: .log)
/// let y = Axis(label: "accuracy", lowerBound: 0, upperBound: 1)
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

    /// Creates an axis.
    ///
    /// - Parameters:
    ///   - label: the title drawn beside the axis.
    ///   - scale: `.linear` (default) or `.log` (base 10; non-positive values are not drawn).
    ///   - lowerBound: the smallest value shown, or nil to fit the data.
    ///   - upperBound: the largest value shown, or nil to fit the data.
    public init(
        label: String? = nil, scale: AxisScale = .linear, lowerBound: Double? = nil,
        upperBound: Double? = nil
    ) {
        self.label = label
        self.scale = scale
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }
}

/// How an axis maps values to positions.
public enum AxisScale: String, Sendable, Hashable, CaseIterable {
    /// Equal distances for equal differences.
    case linear
    /// Equal distances for equal ratios (base 10); ticks at powers of ten.
    case log
}
