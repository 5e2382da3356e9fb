import Foundation

/// How tick values are written: as few decimals as the step needs, a true minus sign (U+2212),
/// thousands separated by commas, scientific notation for very large or small numbers, and
/// powers of ten with superscripts on log axes.
enum TickLabel {
    /// The label for `value` on a linear axis whose ticks are `step` apart and reach `largest`
    /// in magnitude.
    static func linear(_ value: Double, step: NiceStep, largest: Double) -> String {
        if largest >= 1e7 || step.exponent < -6 {
            return scientific(value, step: step, largest: largest)
        }
        let decimals = max(0, -step.exponent)
        var text = String(format: "%.\(decimals)f", abs(value))
        if decimals == 0 && largest >= 10_000 { text = grouped(text) }
        return value < 0 && value != 0 ? "\u{2212}" + text : text
    }

    /// "2.5e6" style, sharing the exponent of the largest tick.
    private static func scientific(_ value: Double, step: NiceStep, largest: Double) -> String {
        guard largest > 0, largest.isFinite, value != 0 else { return "0" }
        let exponent = floor(log10(largest)).saturatingInt
        let decimals = min(max(exponent - step.exponent, 0), 10)
        let mantissa = abs(value) / NiceStep.scaled(1, exponent)
        let sign = value < 0 ? "\u{2212}" : ""
        let exponentText = exponent < 0 ? "\u{2212}\(-exponent)" : "\(exponent)"
        return "\(sign)\(String(format: "%.\(decimals)f", mantissa))e\(exponentText)"
    }

    /// A power of ten: "10⁻³", or plainly "0.001" when `plain`.
    static func power(_ exponent: Int, plain: Bool) -> String {
        if plain {
            if exponent >= 0 {
                return grouped(String(format: "%.0f", NiceStep.scaled(1, exponent)))
            }
            return String(format: "%.\(-exponent)f", NiceStep.scaled(1, exponent))
        }
        return "10" + superscript(exponent)
    }

    /// A value of the 1–2–5 sequence on a short log axis, written plainly.
    static func logMantissa(_ mantissa: Int, exponent: Int) -> String {
        let value = NiceStep.scaled(Double(mantissa), exponent)
        let text = String(format: "%.\(max(0, -exponent))f", value)
        return exponent >= 0 ? grouped(text) : text
    }

    static func superscript(_ number: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let sign = number < 0 ? "⁻" : ""
        return sign
            + String(String(abs(number)).compactMap { $0.wholeNumberValue.map { digits[$0] } })
    }

    /// Inserts commas every three digits of an integer's text.
    static func grouped(_ digits: String) -> String {
        let body = Array(digits)
        guard body.count > 4, body.allSatisfy(\.isNumber) else { return digits }
        var result = ""
        for (index, digit) in body.enumerated() {
            if index > 0, (body.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
