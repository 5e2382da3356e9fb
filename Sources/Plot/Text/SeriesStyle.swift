/// How a series is told apart in a terminal: its line pattern and an optional marker
/// character at each data point.
struct SeriesStyle {
    var pattern: LinePattern
    var marker: Character?

    /// Markers given to the second, third… line when there are no colours.
    static let automaticMarkers: [Character] = ["•", "×", "◆", "▴"]

    /// The style of a line series: its own marker if it has one; without colours, a marker for
    /// every series after the first while points are sparse, dashes once they are dense.
    static func forLine(_ series: LineSeries, index: Int, colors: Bool, sparse: Bool) -> SeriesStyle
    {
        let solid = LinePattern(on: 1, off: 0)
        if let marker = series.marker, sparse {
            return SeriesStyle(pattern: solid, marker: character(for: marker))
        }
        if colors || index == 0 { return SeriesStyle(pattern: solid, marker: nil) }
        if sparse {
            let marker = automaticMarkers[(index - 1) % automaticMarkers.count]
            return SeriesStyle(pattern: solid, marker: marker)
        }
        return SeriesStyle(pattern: LinePattern.forSeries(index, colors: false), marker: nil)
    }

    /// The character drawn for a marker shape.
    static func character(for marker: Marker) -> Character {
        switch marker {
        case .circle: return "•"
        case .square: return "▪"
        case .triangle: return "▴"
        case .diamond: return "◆"
        case .cross: return "×"
        }
    }
}
