/// Draws a heatmap in a terminal: small annotated grids (confusion matrices) as a table of
/// numbers with a shade mark per cell, larger ones as shaded blocks averaged to fit the width.
struct TextHeatmapRenderer {
    static let shades: [Character] = [" ", "░", "▒", "▓", "█"]

    let heatmap: Heatmap
    let width: Int
    let colors: Bool
    /// The values at the two ends of the shading.
    let range: (lower: Double, upper: Double)

    init(heatmap: Heatmap, width: Int, colors: Bool) {
        self.heatmap = heatmap
        self.width = width
        self.colors = colors
        self.range = Self.valueRange(heatmap)
    }

    func render() -> [String] {
        if let lines = annotatedGrid() { return lines }
        return shadedGrid()
    }

    private static func valueRange(_ heatmap: Heatmap) -> (lower: Double, upper: Double) {
        if let range = heatmap.range, range.upperBound > range.lowerBound,
            range.lowerBound.isFinite, range.upperBound.isFinite
        {
            return (range.lowerBound, range.upperBound)
        }
        let finite = heatmap.values.filter(\.isFinite).map { $0.clamped(to: -1e300...1e300) }
        var lower = finite.min() ?? 0
        var upper = finite.max() ?? 1
        if heatmap.colormap == .redBlue {
            let largest = max(abs(lower), abs(upper))
            (lower, upper) = (-largest, largest)
        }
        return upper > lower ? (lower, upper) : (lower - 0.5, upper + 0.5)
    }

    private func fraction(_ value: Double) -> Double {
        let clampedValue = value.clamped(to: -1e300...1e300)
        return ((clampedValue - range.lower) / (range.upper - range.lower)).clamped(to: 0...1)
    }

    private func shade(_ value: Double) -> String {
        guard value.isFinite else { return " " }
        let level = min(
            (fraction(value) * Double(Self.shades.count)).saturatingInt, Self.shades.count - 1)
        let character = String(colors ? "█" : Self.shades[level])
        return TerminalStyle.paint(
            character, heatmap.colormap.color(at: fraction(value)), enabled: colors)
    }

    private func rowLabels() -> [String] {
        heatmap.rowLabels.count == heatmap.rowCount
            ? heatmap.rowLabels.map(Table.singleLine) : (0..<heatmap.rowCount).map(String.init)
    }

    private func columnLabels() -> [String] {
        heatmap.columnLabels.count == heatmap.columnCount
            ? heatmap.columnLabels.map(Table.singleLine)
            : (0..<heatmap.columnCount).map(String.init)
    }

    /// A table of "▓ 123" cells, when annotations are wanted and fit the width.
    private func annotatedGrid() -> [String]? {
        let format: NumberFormat
        switch heatmap.annotation {
        case .hidden: return nil
        case .automatic: format = NumberFormat.automatic.resolved(for: heatmap.values)
        case .format(let chosen): format = chosen.resolved(for: heatmap.values)
        }
        guard heatmap.rowCount * heatmap.columnCount <= 900 else { return nil }
        let texts = heatmap.values.map { $0.isFinite ? format.format($0) : "" }
        let numberWidth = texts.map(\.count).max() ?? 1
        let rows = rowLabels().map { TerminalWidth.truncated($0, to: 14) }
        let labelWidth = rows.map(TerminalWidth.columns(of:)).max() ?? 0
        let cellWidth = max(numberWidth + 2, 4)
        let total = labelWidth + 1 + heatmap.columnCount * (cellWidth + 1)
        guard total <= width else { return nil }
        var lines: [String] = []
        if let xLabel = heatmap.xLabel, !xLabel.isEmpty {
            lines.append(
                String(repeating: " ", count: labelWidth + 1) + Table.singleLine(xLabel) + " →")
        }
        let header = columnLabels().map {
            TerminalWidth.padded(
                TerminalWidth.truncated($0, to: cellWidth), to: cellWidth, alignment: .right)
        }
        lines.append(String(repeating: " ", count: labelWidth + 1) + header.joined(separator: " "))
        for row in 0..<heatmap.rowCount {
            var line = TerminalWidth.padded(rows[row], to: labelWidth, alignment: .left) + " "
            let cells = (0..<heatmap.columnCount).map { column -> String in
                let index = row * heatmap.columnCount + column
                let number = TerminalWidth.padded(
                    texts[index], to: cellWidth - 2, alignment: .right)
                return shade(heatmap.values[index]) + " " + number
            }
            line += cells.joined(separator: " ")
            lines.append(line)
        }
        if let yLabel = heatmap.yLabel, !yLabel.isEmpty {
            lines.append("↑ rows: " + Table.singleLine(yLabel))
        }
        return lines
    }

    /// Blocks of averaged values, two characters per column when they fit.
    private func shadedGrid() -> [String] {
        let rows = rowLabels()
        let numbered = heatmap.rowLabels.count != heatmap.rowCount
        let labelWidth = min(rows.map(TerminalWidth.columns(of:)).max() ?? 0, 14)
        let available = max(width - labelWidth - 2, 4)
        let cellWidth = heatmap.columnCount * 2 <= available ? 2 : 1
        let columnStep = max((heatmap.columnCount * cellWidth + available - 1) / available, 1)
        let rowStep = max((heatmap.rowCount + 39) / 40, 1)
        var lines: [String] = []
        for top in Swift.stride(from: 0, to: heatmap.rowCount, by: rowStep) {
            let showLabel = !numbered || top % max(rowStep * 5, 1) == 0
            let label = showLabel ? TerminalWidth.truncated(rows[top], to: labelWidth) : ""
            var line = TerminalWidth.padded(label, to: labelWidth, alignment: .right) + " │"
            for left in Swift.stride(from: 0, to: heatmap.columnCount, by: columnStep) {
                var sum = 0.0
                var count = 0
                for row in top..<min(top + rowStep, heatmap.rowCount) {
                    for column in left..<min(left + columnStep, heatmap.columnCount) {
                        let value = heatmap.value(row: row, column: column)
                        if value.isFinite {
                            sum += value
                            count += 1
                        }
                    }
                }
                let cell = count > 0 ? shade(sum / Double(count)) : " "
                line += String(repeating: cell, count: cellWidth)
            }
            lines.append(line)
        }
        let low = NumberFormat.automatic.resolved(for: [range.lower, range.upper])
        let legend =
            String(repeating: " ", count: labelWidth + 2) + "shades "
            + String(Self.shades.dropFirst())
            + " from \(low.format(range.lower)) to \(low.format(range.upper))"
        lines.append(TerminalWidth.truncated(legend, to: width))
        return lines
    }
}
