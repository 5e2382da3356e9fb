/// A continuous map from a number in 0…1 to a colour, for heatmaps, colour bars and grey images.
///
/// ```swift
/// Colormap.blues.color(at: 0.5)
/// ```
public enum Colormap: String, Sendable, Hashable, CaseIterable {
    /// Perceptually uniform blue–green–yellow, readable in grey and by colour-blind viewers
    /// (van der Walt and Smith, matplotlib's default since 2.0, 2015).
    case viridis
    /// White to dark blue, ColorBrewer's "Blues" (Brewer, colorbrewer2.org, 2003): the usual
    /// map for confusion matrices and counts.
    case blues
    /// Black to white: grey images (0 is black, 1 is white).
    case grays
    /// Blue–white–red, ColorBrewer's "RdBu" reversed: signed values such as weights, with 0.5
    /// (zero, when the range is symmetric) white.
    case redBlue

    /// The colour for `fraction` (clamped to 0…1; NaN gives the colour at 0).
    public func color(at fraction: Double) -> Color {
        let stops = self.stops
        let t = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        let position = t * Double(stops.count - 1)
        let index = min(Int(position), stops.count - 2)
        return stops[index].mixed(with: stops[index + 1], fraction: position - Double(index))
    }

    /// Evenly spaced anchor colours, interpolated linearly in sRGB.
    var stops: [Color] {
        switch self {
        case .viridis:
            return [
                0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59,
                0xB4DE2C, 0xFDE725,
            ].map(Color.init(hex:))
        case .blues:
            return [
                0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x08519C,
                0x08306B,
            ].map(Color.init(hex:))
        case .grays:
            return [Color.black, Color.white]
        case .redBlue:
            return [
                0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D,
                0xB2182B,
            ].map(Color.init(hex:))
        }
    }
}
