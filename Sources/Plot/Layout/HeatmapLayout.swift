/// Lays out a heatmap: square cells, row labels left, column labels below (rotated when long),
/// value annotations in a colour that reads on the cell, and a colour bar with ticks.
struct HeatmapLayout {
    /// Above this many cells the grid is drawn as one image rather than one rectangle per cell.
    static let maximumRectangles = 2_500
    static let colorBarWidth = 12.0
    static let colorBarGap = 14.0

    let heatmap: Heatmap
    let frame: Rect

    func draw(into scene: inout Scene) {
        let rows = heatmap.rowCount
        let columns = heatmap.columnCount
        let range = valueRange()
        let size = Theme.tickLabelSize
        let rowLabels = labels(heatmap.rowLabels, count: rows)
        let columnLabels = labels(heatmap.columnLabels, count: columns)
        let rowLabelWidth = rowLabels.map { FontMetrics.width(of: $0, size: size) }.max() ?? 0
        let columnLabelWidth =
            columnLabels.map { FontMetrics.width(of: $0, size: size) }.max() ?? 0

        let colorBarLabelWidth =
            heatmap.showsColorBar
            ? (AxisPlanner.linearTicks(
                PositionScale(
                    kind: .linear, lower: range.lower, upper: range.upper, start: 200, end: 0),
                orientation: .vertical
            ).map { FontMetrics.width(of: $0.label, size: size) }.max() ?? 0) : 0
        let right =
            heatmap.showsColorBar
            ? Self.colorBarGap + Self.colorBarWidth + Theme.tickLength + Theme.tickLabelGap
                + colorBarLabelWidth + Theme.padding : Theme.padding
        let hasYLabel = !(heatmap.yLabel ?? "").isEmpty
        let left = Theme.padding + (hasYLabel ? Theme.labelSize + 10 : 0) + rowLabelWidth + 6
        let hasXLabel = !(heatmap.xLabel ?? "").isEmpty
        let available = (width: frame.width - left - right, height: frame.height - 8)

        var cell = min(
            available.width / Double(columns),
            (available.height - AxesDrawing.bottomMargin(hasLabel: hasXLabel)) / Double(rows))
        let rotate = columnLabelWidth > cell - 4
        if rotate {
            let bottom = AxesDrawing.bottomMargin(
                hasLabel: hasXLabel, rotatedLabelWidth: columnLabelWidth)
            cell = min(
                available.width / Double(columns), (available.height - bottom) / Double(rows))
        }
        cell = max(cell, 0.5)
        let grid = Rect(
            x: frame.minX + left, y: frame.minY + 8, width: cell * Double(columns),
            height: cell * Double(rows))

        drawCells(grid: grid, cell: cell, range: range, into: &scene)
        drawAnnotations(grid: grid, cell: cell, range: range, into: &scene)
        var axes = AxesDrawing(
            plotRect: grid,
            xTicks: thinned(
                columnLabels.enumerated().map { index, label in
                    Tick(
                        value: Double(index), label: label,
                        position: grid.minX + cell * (Double(index) + 0.5))
                }, cell: cell, rotated: rotate, numbered: heatmap.columnLabels.isEmpty),
            yTicks: thinned(
                rowLabels.enumerated().map { index, label in
                    Tick(
                        value: Double(index), label: label,
                        position: grid.minY + cell * (Double(index) + 0.5))
                }, cell: cell, rotated: true, numbered: heatmap.rowLabels.isEmpty),
            xLabel: heatmap.xLabel, yLabel: heatmap.yLabel, xGrid: false, rotateXLabels: rotate,
            rotatedLabelWidth: columnLabelWidth, frameMinX: frame.minX)
        axes.drawsAxisLines = false
        axes.drawAxes(into: &scene)
        if heatmap.showsColorBar {
            drawColorBar(grid: grid, range: range, into: &scene)
        }
    }

    private func valueRange() -> (lower: Double, upper: Double) {
        if let range = heatmap.range, range.lowerBound.isFinite, range.upperBound.isFinite,
            range.upperBound > range.lowerBound
        {
            return (range.lowerBound, range.upperBound)
        }
        let finite = heatmap.values.filter(\.isFinite).map { $0.clamped(to: -1e300...1e300) }
        var lower = finite.min() ?? 0
        var upper = finite.max() ?? 1
        if heatmap.colormap == .redBlue {
            // A diverging map is centred on zero: white means 0.
            let largest = max(abs(lower), abs(upper))
            lower = -largest
            upper = largest
        }
        return upper > lower ? (lower, upper) : (lower - 0.5, upper + 0.5)
    }

    private func fraction(_ value: Double, _ range: (lower: Double, upper: Double)) -> Double {
        (value.clamped(to: -1e300...1e300) - range.lower) / (range.upper - range.lower)
    }

    private func labels(_ given: [String], count: Int) -> [String] {
        given.count == count
            ? given.map { LegendLayout.shortened($0, limit: 24) } : (0..<count).map(String.init)
    }

    private func drawCells(
        grid: Rect, cell: Double, range: (lower: Double, upper: Double), into scene: inout Scene
    ) {
        let rows = heatmap.rowCount
        let columns = heatmap.columnCount
        if rows * columns > Self.maximumRectangles {
            var samples = [UInt8](repeating: 0, count: rows * columns * 4)
            for index in 0..<(rows * columns) {
                let value = heatmap.values[index]
                guard value.isFinite else { continue }
                let color = heatmap.colormap.color(at: fraction(value, range))
                samples[index * 4] = color.red
                samples[index * 4 + 1] = color.green
                samples[index * 4 + 2] = color.blue
                samples[index * 4 + 3] = 255
            }
            if let pixels = try? ImagePixels(
                width: columns, height: rows, channels: 4, samples: samples)
            {
                scene.add(.image(pixels, frame: grid, colormap: heatmap.colormap))
            }
            return
        }
        let separator = cell >= 8 ? Stroke(color: Theme.background, width: 1) : nil
        for row in 0..<rows {
            for column in 0..<columns {
                let value = heatmap.value(row: row, column: column)
                guard value.isFinite else { continue }
                let rect = Rect(
                    x: grid.minX + cell * Double(column), y: grid.minY + cell * Double(row),
                    width: cell, height: cell)
                scene.add(
                    .rect(
                        rect, fill: heatmap.colormap.color(at: fraction(value, range)),
                        stroke: separator))
            }
        }
    }

    private func drawAnnotations(
        grid: Rect, cell: Double, range: (lower: Double, upper: Double), into scene: inout Scene
    ) {
        let format: NumberFormat
        switch heatmap.annotation {
        case .hidden: return
        case .automatic:
            guard heatmap.rowCount * heatmap.columnCount <= 400 else { return }
            format = NumberFormat.automatic.resolved(for: heatmap.values)
        case .format(let chosen):
            format = chosen.resolved(for: heatmap.values)
        }
        let texts = heatmap.values.map { $0.isFinite ? format.format($0) : "" }
        let widest = texts.max { $0.count < $1.count } ?? ""
        guard
            let size = [Theme.captionSize, 9.5, 8].first(where: {
                FontMetrics.width(of: widest, size: $0) <= cell - 4 && $0 * 1.3 <= cell
            })
        else { return }
        for row in 0..<heatmap.rowCount {
            for column in 0..<heatmap.columnCount {
                let value = heatmap.value(row: row, column: column)
                guard value.isFinite else { continue }
                let background = heatmap.colormap.color(at: fraction(value, range))
                let color = background.luminance > 0.4 ? Theme.titleColor : Color.white
                scene.add(
                    .text(
                        TextRun(
                            text: texts[row * heatmap.columnCount + column],
                            position: Point(
                                x: grid.minX + cell * (Double(column) + 0.5),
                                y: grid.minY + cell * (Double(row) + 0.5) + size * 0.35),
                            size: size, color: color, anchor: .middle)))
            }
        }
    }

    private func drawColorBar(
        grid: Rect, range: (lower: Double, upper: Double), into scene: inout Scene
    ) {
        let bar = Rect(
            x: (grid.maxX + Self.colorBarGap).rounded(), y: grid.minY.rounded(),
            width: Self.colorBarWidth, height: max(grid.height.rounded(), 1))
        let steps = 128
        var samples: [UInt8] = []
        samples.reserveCapacity(steps * 3)
        for step in 0..<steps {
            let color = heatmap.colormap.color(at: 1 - (Double(step) + 0.5) / Double(steps))
            samples += [color.red, color.green, color.blue]
        }
        if let pixels = try? ImagePixels(width: 1, height: steps, channels: 3, samples: samples) {
            scene.add(.image(pixels, frame: bar, colormap: heatmap.colormap))
        }
        scene.add(.rect(bar, fill: nil, stroke: Stroke(color: Theme.axisColor, width: 1)))
        let scale = PositionScale(
            kind: .linear, lower: range.lower, upper: range.upper, start: bar.maxY, end: bar.minY)
        let ticks = AxisPlanner.linearTicks(scale, orientation: .vertical)
        var marks: [[Point]] = []
        for tick in ticks {
            let y = AxesDrawing.crisp(tick.position)
            marks.append([Point(x: bar.maxX, y: y), Point(x: bar.maxX + Theme.tickLength, y: y)])
            scene.add(
                .text(
                    TextRun(
                        text: tick.label,
                        position: Point(
                            x: bar.maxX + Theme.tickLength + Theme.tickLabelGap,
                            y: tick.position + Theme.tickLabelSize * 0.35),
                        size: Theme.tickLabelSize, color: Theme.tickLabelColor)))
        }
        scene.add(
            .path(
                ScenePath(
                    subpaths: marks, isClosed: false, fill: nil,
                    stroke: Stroke(color: Theme.axisColor, width: 1))))
    }

    /// Keeps every k-th label so that neighbours stay apart; row and column numbers (no labels
    /// given) keep round numbers: 0, 10, 20….
    private func thinned(_ ticks: [Tick], cell: Double, rotated: Bool, numbered: Bool) -> [Tick] {
        var needed: Double
        if rotated {
            needed = Theme.tickLabelSize * 1.3
        } else {
            needed =
                (ticks.map { FontMetrics.width(of: $0.label, size: Theme.tickLabelSize) }.max() ?? 0)
                + 4
        }
        if numbered { needed = max(needed, Theme.tickLabelSize * 2.2) }
        guard cell < needed, cell > 0 else { return ticks }
        var stride = Int(min((needed / cell).rounded(.up), 1e6))
        if numbered {
            stride = Int(NiceStep.heckbert(Double(stride), round: false).value)
        }
        return ticks.enumerated().filter { $0.offset % max(stride, 1) == 0 }.map(\.element)
    }
}
