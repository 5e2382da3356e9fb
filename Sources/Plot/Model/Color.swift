import Foundation

/// An sRGB colour with an opacity.
///
/// ```swift
/// let blue = Color(hex: 0x0072B2)
/// let faint = blue.withOpacity(0.3)
/// ```
public struct Color: Sendable, Hashable {
    /// Red component, 0…255.
    public var red: UInt8
    /// Green component, 0…255.
    public var green: UInt8
    /// Blue component, 0…255.
    public var blue: UInt8
    /// Opacity, 0 (transparent) … 1 (opaque).
    public var opacity: Double

    /// Creates a colour from 8-bit components and an opacity (clamped to 0…1).
    public init(red: UInt8, green: UInt8, blue: UInt8, opacity: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.opacity = opacity.isNaN ? 1 : min(max(opacity, 0), 1)
    }

    /// Creates an opaque colour from a 24-bit `0xRRGGBB` value.
    ///
    /// - Parameter hex: the colour, e.g. `0x0072B2`; bits above the low 24 are ignored.
    public init(hex: UInt32) {
        self.init(
            red: UInt8(truncatingIfNeeded: hex >> 16), green: UInt8(truncatingIfNeeded: hex >> 8),
            blue: UInt8(truncatingIfNeeded: hex))
    }

    /// The same colour with another opacity.
    public func withOpacity(_ opacity: Double) -> Color {
        Color(red: red, green: green, blue: blue, opacity: opacity)
    }

    /// The `#rrggbb` form used in SVG and CSS (opacity is written separately).
    public var hexString: String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for component in [red, green, blue] {
            text.append(digits[Int(component >> 4)])
            text.append(digits[Int(component & 0x0F)])
        }
        return text
    }

    /// Relative luminance (WCAG 2.x), 0 for black to 1 for white; chooses readable text colours.
    public var luminance: Double {
        func linear(_ component: UInt8) -> Double {
            let value = Double(component) / 255
            return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// The colour at `fraction` (0…1) of the way from `self` to `other`, component-wise in sRGB.
    public func mixed(with other: Color, fraction: Double) -> Color {
        let t = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded())
        }
        return Color(
            red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue),
            opacity: opacity + (other.opacity - opacity) * t)
    }

    /// Opaque white.
    public static let white = Color(hex: 0xFFFFFF)
    /// Opaque black.
    public static let black = Color(hex: 0x000000)
}
