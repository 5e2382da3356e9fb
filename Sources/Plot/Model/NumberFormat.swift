import Foundation

/// How a number is written in a table cell, a heatmap annotation or a progress line.
///
/// ```swift
/// NumberFormat.fixed(3).format(0.87649)     // "0.876"
/// NumberFormat.percent(1).format(0.87649)   // "87.6%"
/// NumberFormat.grouped.format(101_770)      // "101,770"
/// NumberFormat.bytes.format(407_080)        // "397.5 KiB"
/// ```
public enum NumberFormat: Sendable, Hashable {
    /// Chosen from the magnitude of the values shown together (a column, a heatmap).
    case automatic
    /// A fixed number of decimals (0…12).
    case fixed(Int)
    /// A percentage of 1 with a fixed number of decimals: 0.5 is "50.0%" with 1 decimal.
    case percent(Int)
    /// Scientific notation with a number of decimals in the mantissa: "1.23e-04" with 2.
    case scientific(Int)
    /// Rounded to an integer, with thousands separated by commas.
    case grouped
    /// A size in bytes with a binary unit: B, KiB, MiB, GiB.
    case bytes
    /// A duration in seconds: "850 µs", "12.3 ms", "4.56 s", "2:05", "1:02:03".
    case duration

    /// Writes `value`; NaN is "nan" and infinities "inf" and "-inf".
    public func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        switch self {
        case .automatic:
            return Self.resolved(for: [value]).format(value)
        case .fixed(let decimals):
            return Self.fixedText(value, decimals: decimals)
        case .percent(let decimals):
            return Self.fixedText(value * 100, decimals: decimals) + "%"
        case .scientific(let decimals):
            let clamped = min(max(decimals, 0), 12)
            return String(format: "%.\(clamped)e", value)
        case .grouped:
            return Self.grouped(value)
        case .bytes:
            return Self.bytesText(value)
        case .duration:
            return Self.durationText(value)
        }
    }

    /// The concrete format `.automatic` stands for when these values are shown together, so that
    /// a column lines up: integers grouped, small or huge magnitudes scientific, otherwise about
    /// four significant digits for the largest value. Other formats are returned unchanged.
    public func resolved(for values: [Double]) -> NumberFormat {
        guard case .automatic = self else { return self }
        return Self.resolved(for: values)
    }

    private static func resolved(for values: [Double]) -> NumberFormat {
        let finite = values.filter(\.isFinite)
        let largest = finite.map(abs).max() ?? 0
        if finite.allSatisfy({ $0.rounded() == $0 }) && largest < 1e15 { return .grouped }
        if largest >= 1e9 || largest < 1e-3 { return .scientific(2) }
        switch largest {
        case ..<10: return .fixed(4)
        case ..<100: return .fixed(3)
        case ..<1_000: return .fixed(2)
        case ..<10_000: return .fixed(1)
        default: return .grouped
        }
    }

    private static func fixedText(_ value: Double, decimals: Int) -> String {
        let clamped = min(max(decimals, 0), 12)
        let text = String(format: "%.\(clamped)f", value)
        // "-0.00" reads as a negative number that is not there.
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    private static func grouped(_ value: Double) -> String {
        let digits = fixedText(value.rounded(), decimals: 0)
        let negative = digits.hasPrefix("-")
        let body = Array(negative ? digits.dropFirst() : Substring(digits))
        var result = ""
        for (index, digit) in body.enumerated() {
            if index > 0, (body.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (negative ? "-" : "") + result
    }

    private static func bytesText(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = value
        var unit = 0
        while abs(scaled) >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return unit == 0
            ? grouped(scaled) + " B" : fixedText(scaled, decimals: 1) + " " + units[unit]
    }

    private static func durationText(_ seconds: Double) -> String {
        let magnitude = abs(seconds)
        if magnitude < 1e-3 { return fixedText(seconds * 1e6, decimals: 0) + " µs" }
        if magnitude < 1 { return fixedText(seconds * 1e3, decimals: 1) + " ms" }
        if magnitude < 60 { return fixedText(seconds, decimals: 2) + " s" }
        return clockText(seconds)
    }

    /// "m:ss" below an hour, "h:mm:ss" from an hour; used for elapsed time and ETA.
    static func clockText(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let total = Int(min(max(seconds, 0), 359_999_999).rounded())
        let hours = total / 3600
        let minutes = (total / 60) % 60
        let secs = total % 60
        let paddedSeconds = secs < 10 ? "0\(secs)" : "\(secs)"
        if hours == 0 { return "\(minutes):\(paddedSeconds)" }
        let paddedMinutes = minutes < 10 ? "0\(minutes)" : "\(minutes)"
        return "\(hours):\(paddedMinutes):\(paddedSeconds)"
    }
}
