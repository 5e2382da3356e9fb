/// A set of unconnected points drawn with a marker.
///
/// ```swift
/// let points = ScatterSeries(name: "trials", x: rates, y: accuracies)
/// ```
public struct ScatterSeries: Sendable, Hashable {
    /// The name shown in the legend; nil or empty for none.
    public var name: String?
    /// Horizontal coordinates.
    public var x: [Double]
    /// Vertical coordinates.
    public var y: [Double]
    /// Marker colour; nil takes the next palette colour.
    public var color: Color?
    /// Marker shape.
    public var marker: Marker
    /// Marker radius in CSS pixels.
    public var size: Double
    /// Marker opacity, 0…1; below 1, dense clouds show their density.
    public var opacity: Double

    /// Creates a scatter series.
    ///
    /// - Parameters:
    ///   - name: legend entry.
    ///   - x: horizontal coordinates.
    ///   - y: vertical coordinates.
    ///   - color: marker colour, or nil for the palette.
    ///   - marker: marker shape (default a disc).
    ///   - size: marker radius in CSS pixels (default 3).
    ///   - opacity: marker opacity (default 0.8).
    public init(
        name: String? = nil, x: [Double], y: [Double], color: Color? = nil,
        marker: Marker = .circle, size: Double = 3, opacity: Double = 0.8
    ) {
        self.name = name
        self.x = x
        self.y = y
        self.color = color
        self.marker = marker
        self.size = size
        self.opacity = opacity
    }

    /// Creates a scatter series from any floating-point coordinates.
    public init<X: BinaryFloatingPoint, Y: BinaryFloatingPoint>(
        name: String? = nil, x: [X], y: [Y], color: Color? = nil
    ) {
        self.init(name: name, x: x.map { Double($0) }, y: y.map { Double($0) }, color: color)
    }
}
