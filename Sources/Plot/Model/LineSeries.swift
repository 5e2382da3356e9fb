/// A series of points joined by a line, optionally with a marker at each point.
///
/// Points with a non-finite coordinate (NaN, ±∞), or a non-positive one on a log axis, break the
/// line instead of being drawn.
///
/// ```swift
/// let loss = LineSeries(name: "train", y: [0.9, 0.5, 0.4, 0.35])   // x = 0, 1, 2, 3
/// let acc = LineSeries(name: "val", x: [1, 2, 3], y: [0.81, 0.85, 0.86], marker: .circle)
/// ```
public struct LineSeries: Sendable, Hashable {
    /// The name shown in the legend; nil or empty to leave the series out of the legend.
    public var name: String?
    /// Horizontal coordinates, one per point.
    public var x: [Double]
    /// Vertical coordinates, one per point (extra coordinates on either side are ignored).
    public var y: [Double]
    /// The line colour; nil takes the next palette colour.
    public var color: Color?
    /// Line width in CSS pixels.
    public var lineWidth: Double
    /// Solid, dashed or dotted.
    public var dash: LineDash
    /// A marker drawn at every point, or nil for none.
    public var marker: Marker?

    /// Creates a series from x and y coordinates.
    ///
    /// - Parameters:
    ///   - name: legend entry.
    ///   - x: horizontal coordinates.
    ///   - y: vertical coordinates.
    ///   - color: line colour, or nil for the palette.
    ///   - lineWidth: in CSS pixels (default 2).
    ///   - dash: line pattern.
    ///   - marker: marker at each point.
    public init(
        name: String? = nil, x: [Double], y: [Double], color: Color? = nil, lineWidth: Double = 2,
        dash: LineDash = .solid, marker: Marker? = nil
    ) {
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.lineWidth = lineWidth
        self.dash = dash
        self.marker = marker
    }

    /// Creates a series whose x coordinates are 0, 1, 2, ….
    public init(
        name: String? = nil, y: [Double], color: Color? = nil, lineWidth: Double = 2,
        dash: LineDash = .solid, marker: Marker? = nil
    ) {
        self.init(
            name: name, x: y.indices.map(Double.init), y: y, color: color, lineWidth: lineWidth,
            dash: dash, marker: marker)
    }

    /// Creates a series from any floating-point coordinates (`Float` from tensors, for example).
    public init<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(
        name: String? = nil, x: [X], y: [Y], color: Color? = nil, marker: Marker? = nil
    ) {
        self.init(
            name: name, x: x.map { Double($0) }, y: y.map { Double($0) }, color: color,
            marker: marker)
    }
}

/// A line pattern.
public enum LineDash: String, Sendable, Hashable, CaseIterable {
    /// An unbroken line.
    case solid
    /// Long dashes.
    case dashed
    /// Round dots.
    case dotted
}

/// The shape drawn at a data point.
public enum Marker: String, Sendable, Hashable, CaseIterable {
    /// A filled disc.
    case circle
    /// A filled square.
    case square
    /// A filled upward triangle.
    case triangle
    /// A filled diamond.
    case diamond
    /// A diagonal cross (×).
    case cross
}
