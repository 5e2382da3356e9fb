/// Draws an `XYPlot` in a terminal: y ticks at the left, a braille plot area, x ticks below,
/// the axis titles and a legend (on as many lines as the width needs).
struct TextPlotRenderer {
    static let blockEighths: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    let plot: XYPlot
    let width: Int
    let colors: Bool

    func render() -> [String] {
        let marks = ResolvedMark.resolve(plot.marks)
        let hasHistogram = marks.contains {
            if case .histogram = $0.mark { return true } else { return false }
        }
        let xDomain = AxisPlanner.domain(
            of: marks.flatMap(\.xValues), axis: plot.xAxis, margin: hasHistogram ? 0.02 : 0.04)
        let yDomain = AxisPlanner.domain(
            of: marks.flatMap(\.yValues), axis: plot.yAxis, margin: 0.05,
            anchoredAtZero: hasHistogram && plot.yAxis.scale == .linear)
        let rows = min(max(width / 4, 8), 20)
        let yAxis = AxisPlanner.plan(
            scale: plot.yAxis.scale, domain: yDomain, start: Double(rows - 1), end: 0,
            orientation: .vertical, metrics: .terminal,
            integers: AxisPlanner.areIntegers(marks.flatMap(\.yValues)), given: plot.yAxis.ticks)
        let yLabels = yAxis.ticks.map { TextChartRenderer.asciiMinus($0.label) }
        let labelWidth = min(yLabels.map(TerminalWidth.columns(of:)).max() ?? 0, width / 3)
        let columns = max(width - labelWidth - 1, 8)
        let xAxis = AxisPlanner.plan(
            scale: plot.xAxis.scale, domain: xDomain, start: 0, end: Double(columns - 1),
            orientation: .horizontal, metrics: .terminal,
            integers: !hasHistogram && AxisPlanner.areIntegers(marks.flatMap(\.xValues)),
            given: plot.xAxis.ticks)

        var canvas = BrailleCanvas(columns: columns, rows: rows)
        var blocks = [(Character, Int)?](repeating: nil, count: columns * rows)
        let xDots = PositionScale(
            kind: plot.xAxis.scale, lower: xDomain.lower, upper: xDomain.upper, start: 0,
            end: Double(canvas.dotWidth - 1))
        let yDots = PositionScale(
            kind: plot.yAxis.scale, lower: yDomain.lower, upper: yDomain.upper,
            start: Double(canvas.dotHeight - 1), end: 0)
        let dotArea = Rect(
            x: 0, y: 0, width: Double(canvas.dotWidth - 1), height: Double(canvas.dotHeight - 1))
        var overlay = [(Character, Int)?](repeating: nil, count: columns * rows)
        var styles: [Int: SeriesStyle] = [:]
        for (index, mark) in marks.enumerated() {
            let projected = mark.project(x: xDots, y: yDots, in: dotArea)
            switch mark.mark {
            case .line(let series):
                let style = SeriesStyle.forLine(
                    series, index: index, colors: colors, sparse: series.y.count <= columns / 2)
                styles[index] = style
                guard case .lines(let runs, _) = projected.geometry else { continue }
                var phase = 0
                for run in runs {
                    for (start, end) in zip(run, run.dropFirst()) {
                        canvas.line(
                            from: start, to: end, series: index, pattern: style.pattern,
                            phase: &phase)
                    }
                    if run.count == 1, let point = run.first {
                        canvas.set(
                            x: point.x.rounded().saturatingInt, y: point.y.rounded().saturatingInt,
                            series: index)
                    }
                }
                if let marker = style.marker {
                    let points = zip(series.x, series.y).compactMap { x, y -> Point? in
                        guard let px = xDots.position(x), let py = yDots.position(y) else {
                            return nil
                        }
                        let point = Point(x: px, y: py)
                        return dotArea.contains(point) ? point : nil
                    }
                    place(marker, at: points, series: index, columns: columns, into: &overlay)
                }
            case .scatter(let series):
                let points = projected.markerPoints
                if points.count <= columns {
                    let marker = SeriesStyle.character(for: series.marker)
                    styles[index] = SeriesStyle(pattern: LinePattern(on: 1, off: 0), marker: marker)
                    place(marker, at: points, series: index, columns: columns, into: &overlay)
                } else {
                    for point in points {
                        canvas.set(
                            x: point.x.rounded().saturatingInt, y: point.y.rounded().saturatingInt,
                            series: index)
                    }
                }
            case .histogram(let histogram):
                drawHistogram(
                    histogram, series: index, columns: columns, rows: rows, xDomain: xDomain,
                    yDomain: yDomain, into: &blocks)
            }
        }

        var lines: [String] = []
        if let label = plot.yAxis.label, !label.isEmpty {
            lines.append(TerminalWidth.truncated(Table.singleLine(label), to: width))
        }
        let tickRows = Dictionary(
            yAxis.ticks.enumerated().map { ($1.position.rounded().saturatingInt, yLabels[$0]) },
            uniquingKeysWith: { first, _ in first })
        for row in 0..<rows {
            let label = tickRows[row].map { TerminalWidth.truncated($0, to: labelWidth) } ?? ""
            var line = TerminalWidth.padded(label, to: labelWidth, alignment: .right)
            line += tickRows[row] == nil ? "│" : "┤"
            for column in 0..<columns {
                if let (marker, owner) = overlay[row * columns + column] {
                    line += paint(String(marker), owner, marks)
                } else if !canvas.isEmpty(column: column, row: row) {
                    let owner = canvas.owner(column: column, row: row)
                    line += paint(String(canvas.character(column: column, row: row)), owner, marks)
                } else if let (block, owner) = blocks[row * columns + column] {
                    line += paint(String(block), owner, marks)
                } else {
                    line += " "
                }
            }
            lines.append(line)
        }
        lines += xAxisLines(xAxis, labelWidth: labelWidth, columns: columns)
        lines += legendLines(marks, styles: styles)
        return lines
    }

    /// Puts a marker character in the cell of each point (dot coordinates).
    private func place(
        _ marker: Character, at points: [Point], series: Int, columns: Int,
        into overlay: inout [(Character, Int)?]
    ) {
        for point in points {
            let column = point.x.rounded().saturatingInt / 2
            let row = point.y.rounded().saturatingInt / 4
            let index = row * columns + column
            guard column >= 0, column < columns, index >= 0, index < overlay.count else { continue }
            overlay[index] = (marker, series)
        }
    }

    private func paint(_ text: String, _ owner: Int, _ marks: [ResolvedMark]) -> String {
        guard colors, owner >= 0, owner < marks.count else { return text }
        return TerminalStyle.paint(text, marks[owner].color, enabled: true)
    }

    private func drawHistogram(
        _ histogram: Histogram, series: Int, columns: Int, rows: Int,
        xDomain: (lower: Double, upper: Double), yDomain: (lower: Double, upper: Double),
        into blocks: inout [(Character, Int)?]
    ) {
        let x = PositionScale(
            kind: plot.xAxis.scale, lower: xDomain.lower, upper: xDomain.upper, start: 0,
            end: Double(columns))
        let y = PositionScale(
            kind: plot.yAxis.scale, lower: yDomain.lower, upper: yDomain.upper,
            start: Double(rows), end: 0)
        for (index, count) in histogram.counts.enumerated() where count > 0 {
            guard index + 1 < histogram.edges.count,
                let left = x.position(histogram.edges[index]),
                let right = x.position(histogram.edges[index + 1]), let top = y.position(count)
            else { continue }
            let first = max(left.rounded().saturatingInt, 0)
            let last = min(max(right.rounded().saturatingInt - 1, first), columns - 1)
            guard first <= last else { continue }
            for row in 0..<rows {
                let filled = min(max(Double(row + 1) - max(top, 0), 0), 1)
                let eighths = (filled * 8).rounded().saturatingInt
                guard eighths > 0 else { continue }
                for column in first...last {
                    blocks[row * columns + column] = (Self.blockEighths[eighths - 1], series)
                }
            }
        }
    }

    private func xAxisLines(_ axis: PlannedAxis, labelWidth: Int, columns: Int) -> [String] {
        var rule = Array(repeating: Character("─"), count: columns)
        var labels = Array(repeating: Character(" "), count: labelWidth + 1 + columns)
        var lastEnd = -1
        for tick in axis.ticks {
            let column = tick.position.rounded().saturatingInt
            guard column >= 0, column < columns else { continue }
            rule[column] = "┬"
            let text = Array(TextChartRenderer.asciiMinus(tick.label))
            let start = min(
                max(labelWidth + 1 + column - text.count / 2, 0), labels.count - text.count)
            guard start > lastEnd, start >= 0 else { continue }
            for (offset, character) in text.enumerated() { labels[start + offset] = character }
            lastEnd = start + text.count
        }
        var lines = [
            String(repeating: " ", count: labelWidth) + "└" + String(rule), String(labels),
        ]
        if let label = plot.xAxis.label, !label.isEmpty {
            let text = TerminalWidth.truncated(Table.singleLine(label), to: columns)
            let indent = labelWidth + 1 + max((columns - TerminalWidth.columns(of: text)) / 2, 0)
            lines.append(String(repeating: " ", count: indent) + text)
        }
        return lines
    }

    private func legendLines(_ marks: [ResolvedMark], styles: [Int: SeriesStyle]) -> [String] {
        guard plot.legend != .hidden else { return [] }
        var entries: [String] = []
        for (index, mark) in marks.enumerated() {
            guard let entry = mark.legendEntry else { continue }
            let swatch: String
            switch mark.mark {
            case .line:
                let style =
                    styles[index] ?? SeriesStyle(pattern: LinePattern(on: 1, off: 0), marker: nil)
                var sample = BrailleCanvas(columns: 3, rows: 1)
                var phase = 0
                sample.line(
                    from: Point(x: 0, y: 1), to: Point(x: 5, y: 1), series: index,
                    pattern: style.pattern, phase: &phase)
                var cells = (0..<3).map { String(sample.character(column: $0, row: 0)) }
                if let marker = style.marker { cells[1] = String(marker) }
                swatch = cells.joined()
            case .scatter: swatch = String(styles[index]?.marker ?? "⠶")
            case .histogram: swatch = "█"
            }
            entries.append(
                paint(swatch, index, marks) + " " + LegendLayout.shortened(entry.name, limit: 30))
        }
        return TerminalWidth.flowed(entries, width: width)
    }
}

extension String {
    /// The text without ANSI escape sequences, for measuring.
    func replacingANSI() -> String {
        var result = ""
        var inEscape = false
        for character in self {
            if character == "\u{1B}" {
                inEscape = true
            } else if inEscape {
                if character == "m" { inEscape = false }
            } else {
                result.append(character)
            }
        }
        return result
    }
}
