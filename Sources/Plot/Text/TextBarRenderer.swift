/// Draws a bar chart in a terminal as horizontal bars, one row per category and series,
/// with the value at the end of each bar.
struct TextBarRenderer {
    static let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    static let fills: [Character] = ["█", "▓", "▒", "░"]

    let chart: BarChart
    let width: Int
    let colors: Bool

    func render() -> [String] {
        let categories = chart.categories.map { Table.singleLine($0) }
        let values = chart.series.flatMap { $0.values.prefix(categories.count) }.filter(\.isFinite)
            .map { $0.clamped(to: -1e300...1e300) }
        let format = NumberFormat.automatic.resolved(for: values)
        let labelWidth = min(categories.map(TerminalWidth.columns(of:)).max() ?? 0, width / 3)
        let valueWidth = values.map { format.format($0).count }.max() ?? 1
        let barWidth = max(width - labelWidth - 3 - valueWidth, 4)
        let lower = min(values.min() ?? 0, 0)
        let upper = max(values.max() ?? 1, 0)
        let span = upper > lower ? upper - lower : 1
        let zero = ((0 - lower) / span * Double(barWidth)).rounded().saturatingInt

        var lines: [String] = []
        let named = chart.series.enumerated().filter { !($0.element.name ?? "").isEmpty }
        if !named.isEmpty || !(chart.valueAxis.label ?? "").isEmpty {
            var entries = named.map { index, series in
                paint(String(fill(index)), index) + " "
                    + LegendLayout.shortened(series.name ?? "", limit: 30)
            }
            if let label = chart.valueAxis.label {
                // The axis title leads the first entry, two columns before it.
                let title = Table.singleLine(label)
                entries =
                    entries.isEmpty ? [title] : [title + "  " + entries[0]] + entries.dropFirst()
            }
            lines += TerminalWidth.flowed(entries, width: width)
        }
        for (categoryIndex, category) in categories.enumerated() {
            for (seriesIndex, series) in chart.series.enumerated() {
                let label =
                    seriesIndex == 0 ? TerminalWidth.truncated(category, to: labelWidth) : ""
                var line = TerminalWidth.padded(label, to: labelWidth, alignment: .left) + " │"
                guard categoryIndex < series.values.count, series.values[categoryIndex].isFinite
                else {
                    lines.append(line)
                    continue
                }
                let value = series.values[categoryIndex]
                let end = ((value.clamped(to: -1e300...1e300) - lower) / span * Double(barWidth))
                    .clamped(to: 0...Double(barWidth))
                line += bar(from: zero, to: end, series: seriesIndex)
                line += " " + format.format(value)
                lines.append(line)
            }
            if chart.series.count > 1 && categoryIndex < categories.count - 1 {
                lines.append(String(repeating: " ", count: labelWidth) + " │")
            }
        }
        return lines
    }

    private func fill(_ series: Int) -> Character {
        colors ? "█" : Self.fills[series % Self.fills.count]
    }

    private func paint(_ text: String, _ series: Int) -> String {
        guard colors else { return text }
        let color = chart.series[series].color ?? paletteColor(series)
        return TerminalStyle.paint(text, color, enabled: true)
    }

    private func paletteColor(_ series: Int) -> Color {
        let withoutColor = chart.series.prefix(series).filter { $0.color == nil }.count
        return Palette.color(at: withoutColor)
    }

    /// Spaces up to the bar, then the bar from the zero column to `end` (in columns, fractional).
    private func bar(from zero: Int, to end: Double, series: Int) -> String {
        let character = fill(series)
        if end >= Double(zero) {
            let whole = end.saturatingInt - zero
            let fraction = end - end.rounded(.towardZero)
            var text = String(repeating: character, count: max(whole, 0))
            if character == "█", case let eighths = (fraction * 8).rounded().saturatingInt,
                eighths > 0
            {
                text.append(eighths >= 8 ? "█" : Self.partials[eighths - 1])
            }
            if text.isEmpty { text = "▏" }
            return String(repeating: " ", count: zero) + paint(text, series)
        }
        let start = max(end.rounded().saturatingInt, 0)
        return String(repeating: " ", count: start)
            + paint(String(repeating: character, count: max(zero - start, 1)), series)
    }
}
