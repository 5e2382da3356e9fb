import Foundation

/// Advance widths for measuring text before it is drawn: label widths decide margins and which
/// tick labels are kept.
///
/// Widths are in thousandths of the font size and follow the published metrics of Helvetica
/// (the same as Arial's), the first fonts of `Theme.fontFamily`. The PNG stroke font uses the
/// same advances, so a measured label is exactly as wide in the PNG as it was planned to be.
enum FontMetrics {
    /// Bold text is this much wider than regular.
    static let boldFactor = 1.06
    /// The advance of a character the table does not know.
    static let defaultAdvance = 556.0

    /// The width of `text` in CSS pixels at `size`.
    static func width(of text: String, size: Double, weight: FontWeight = .regular) -> Double {
        var total = 0.0
        for scalar in text.unicodeScalars {
            total += advance(of: scalar)
        }
        return total * size / 1000 * (weight == .bold ? boldFactor : 1)
    }

    /// The advance of one character in thousandths of the font size.
    static func advance(of scalar: Unicode.Scalar) -> Double {
        let value = scalar.value
        if value >= 32 && value <= 126 { return ascii[Int(value - 32)] }
        if let width = extra[value] { return width }
        if isCombiningMark(value) { return 0 }
        if isWide(value) { return 1000 }
        if let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first,
            base.value >= 32 && base.value <= 126
        {
            return ascii[Int(base.value - 32)]
        }
        return defaultAdvance
    }

    /// Cap height and descender as fractions of the font size: for vertical placement.
    static let capHeight = 0.70
    static let xHeight = 0.52
    static let descender = 0.21

    /// Printable ASCII, space (32) to tilde (126).
    private static let ascii: [Double] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // space…/
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556,  // 0…9
        278, 278, 584, 584, 584, 556, 1015,  // :;<=>?@
        667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,  // A…M
        722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611,  // N…Z
        278, 278, 278, 469, 556, 333,  // [\]^_`
        556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,  // a…m
        556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,  // n…z
        334, 260, 334, 584,  // {|}~
    ]

    private static let extra: [UInt32: Double] = [
        0x00A0: 278,  // no-break space
        0x00B0: 400,  // °
        0x00B1: 584,  // ±
        0x00B2: 333, 0x00B3: 333, 0x00B9: 333,  // ² ³ ¹
        0x00B5: 556, 0x03BC: 556,  // µ μ
        0x00B7: 278,  // ·
        0x00D7: 584,  // ×
        0x00F7: 584,  // ÷
        0x2013: 556,  // –
        0x2014: 1000,  // —
        0x2018: 222, 0x2019: 222, 0x201C: 333, 0x201D: 333,  // ‘ ’ “ ”
        0x2022: 350,  // •
        0x2026: 1000,  // …
        0x2070: 333, 0x2074: 333, 0x2075: 333, 0x2076: 333, 0x2077: 333, 0x2078: 333,
        0x2079: 333, 0x207A: 333, 0x207B: 333,  // superscripts ⁰ ⁴…⁹ ⁺ ⁻
        0x2190: 1000, 0x2192: 1000,  // ← →
        0x2212: 584,  // −
        0x2264: 584, 0x2265: 584, 0x2248: 584, 0x2260: 584,  // ≤ ≥ ≈ ≠
        0x03B1: 578, 0x03B2: 575, 0x03B3: 500, 0x03B4: 556, 0x03B5: 450, 0x03B7: 556,
        0x03B8: 556, 0x03BB: 500, 0x03C0: 600, 0x03C3: 578,  // α β γ δ ε η θ λ π σ
        0x0394: 667, 0x03A3: 611,  // Δ Σ
        0x25B2: 667, 0x25BC: 667,  // ▲ ▼
        0x2713: 667, 0x2717: 667,  // ✓ ✗
    ]

    private static func isCombiningMark(_ value: UInt32) -> Bool {
        (0x0300...0x036F).contains(value) || (0xFE20...0xFE2F).contains(value)
    }

    /// East Asian wide and fullwidth ranges, and emoji: drawn one em wide.
    static func isWide(_ value: UInt32) -> Bool {
        (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
            || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value)
            || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
            || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1F64F).contains(value)
            || (0x1F900...0x1F9FF).contains(value) || (0x20000...0x3FFFD).contains(value)
    }
}
