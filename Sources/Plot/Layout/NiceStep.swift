import Foundation

/// A tick step of the form 1, 2, 2.5 or 5 times a power of ten, with the ticks it produces.
///
/// The first step for an axis is Heckbert's "nice number" rounding of range / (count − 1)
/// (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990); the axis then moves up the
/// ladder 1 → 2 → 2.5 → 5 → 10 (`larger`, with matplotlib's 2.5 between 2 and 5 so that short
/// axes still get four ticks) until the count and the labels fit. Tick values are
/// computed as exact integer multiples, so 0.1 × 3 is written "0.3", not 0.30000000000000004.
struct NiceStep: Sendable, Hashable {
    /// 1, 2 or 5; or 25 for 2.5 (with the exponent one lower).
    var mantissa: Int
    /// The power of ten.
    var exponent: Int

    /// The step's value.
    var value: Double { Self.scaled(Double(mantissa), exponent) }

    /// Heckbert's nice number near `x` (> 0): rounded to the nearest of 1, 2, 5, 10 times a
    /// power of ten when `round`, else the smallest of those not below `x`.
    static func heckbert(_ x: Double, round: Bool) -> NiceStep {
        guard x.isFinite, x > 0 else { return NiceStep(mantissa: 1, exponent: 0) }
        let exponent = Int(floor(log10(x)))
        let fraction = x / scaled(1, exponent)
        let mantissa: Int
        if round {
            mantissa = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        } else {
            mantissa = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        }
        return mantissa == 10
            ? NiceStep(mantissa: 1, exponent: exponent + 1)
            : NiceStep(mantissa: mantissa, exponent: exponent)
    }

    /// The next step up the ladder: 1 → 2 → 2.5 → 5 → 10.
    var larger: NiceStep {
        switch mantissa {
        case 1: return NiceStep(mantissa: 2, exponent: exponent)
        case 2: return NiceStep(mantissa: 25, exponent: exponent - 1)
        case 25: return NiceStep(mantissa: 5, exponent: exponent + 1)
        default: return NiceStep(mantissa: 1, exponent: exponent + 1)
        }
    }

    /// Whether the step is a whole number (1, 2, 5, 10, … but not 2.5).
    var isWhole: Bool { exponent >= 0 || (mantissa == 25 && exponent >= 1) }

    /// The multiples of the step in `lower…upper`, at most `limit` of them (nil when the range
    /// would hold more, or when it is too far from zero to count in steps exactly).
    func multiples(from lower: Double, to upper: Double, limit: Int = 1_000) -> [Double]? {
        let step = value
        guard step > 0, lower.isFinite, upper.isFinite, upper >= lower else { return nil }
        let first = (lower / step - 1e-9).rounded(.up)
        let last = (upper / step + 1e-9).rounded(.down)
        guard abs(first) < 1e15, abs(last) < 1e15, last - first < Double(limit) else { return nil }
        guard last >= first else { return [] }
        return (Int(first)...Int(last)).map { Self.scaled(Double($0 * mantissa), exponent) }
    }

    /// `value` × 10^`exponent`, dividing for negative exponents so that decimal steps are exact.
    static func scaled(_ value: Double, _ exponent: Int) -> Double {
        let clamped = min(max(exponent, -300), 300)
        return clamped >= 0 ? value * pow(10, Double(clamped)) : value / pow(10, Double(-clamped))
    }
}
