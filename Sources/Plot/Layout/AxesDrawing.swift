/// Draws the frame shared by plots and bar charts: grid lines, the left and bottom axis lines,
/// tick marks, tick labels and axis titles around a plot rectangle.
struct AxesDrawing {
    /// The rectangle data is drawn in.
    var plotRect: Rect
    /// Ticks along the bottom (positions are x pixels).
    var xTicks: [Tick]
    /// Ticks along the left (positions are y pixels).
    var yTicks: [Tick]
    var xMinorTicks: [Double] = []
    var yMinorTicks: [Double] = []
    var xLabel: String?
    var yLabel: String?
    /// Whether vertical grid lines are drawn at x ticks (not for categories).
    var xGrid = true
    /// Rotate x tick labels by 45° (long category names).
    var rotateXLabels = false
    /// The widest x tick label, when rotated: it decides how far below the x title goes.
    var rotatedLabelWidth = 0.0
    /// The left edge of the frame the axes live in: the y title sits at its padding.
    var frameMinX = 0.0
    /// Whether the axis lines and tick marks are drawn (not around heatmap cells).
    var drawsAxisLines = true

    /// Space below the plot for x tick labels and the x title.
    static func bottomMargin(hasLabel: Bool, rotatedLabelWidth: Double? = nil) -> Double {
        let labels = rotatedLabelWidth.map { $0 * 0.71 + Theme.tickLabelSize * 0.8 }
        let tickLabels = labels ?? Theme.tickLabelSize
        return Theme.tickLength + Theme.tickLabelGap + tickLabels + 6
            + (hasLabel ? Theme.labelSize + 8 : 0)
    }

    /// Space left of the plot for y tick labels of the given widths and the y title.
    static func leftMargin(labelWidth: Double, hasLabel: Bool) -> Double {
        Theme.padding + (hasLabel ? Theme.labelSize + 10 : 0) + labelWidth + Theme.tickLabelGap
            + Theme.tickLength
    }

    /// Grid lines at the labelled ticks, drawn before the data (minor ticks get no grid line:
    /// a log axis full of them reads as noise).
    func drawGrid(into scene: inout Scene) {
        var major: [[Point]] = yTicks.map { horizontalLine(at: $0.position) }
        if xGrid { major += xTicks.map { verticalLine(at: $0.position) } }
        if !major.isEmpty {
            scene.add(.path(gridPath(major, color: Theme.gridColor)))
        }
    }

    /// Axis lines, ticks, labels and titles, drawn after the data.
    func drawAxes(into scene: inout Scene) {
        let left = Self.crisp(plotRect.minX)
        let bottom = Self.crisp(plotRect.maxY)
        let axisStroke = Stroke(color: Theme.axisColor, width: Theme.axisLineWidth)
        var marks: [[Point]] = [
            [Point(x: left, y: plotRect.minY), Point(x: left, y: bottom)],
            [Point(x: left, y: bottom), Point(x: plotRect.maxX, y: bottom)],
        ]
        for tick in xTicks {
            let x = Self.crisp(tick.position)
            marks.append([Point(x: x, y: bottom), Point(x: x, y: bottom + Theme.tickLength)])
        }
        for x in xMinorTicks {
            let x = Self.crisp(x)
            marks.append([Point(x: x, y: bottom), Point(x: x, y: bottom + Theme.minorTickLength)])
        }
        for tick in yTicks {
            let y = Self.crisp(tick.position)
            marks.append([Point(x: left - Theme.tickLength, y: y), Point(x: left, y: y)])
        }
        for y in yMinorTicks {
            let y = Self.crisp(y)
            marks.append([Point(x: left - Theme.minorTickLength, y: y), Point(x: left, y: y)])
        }
        if drawsAxisLines {
            scene.add(
                .path(ScenePath(subpaths: marks, isClosed: false, fill: nil, stroke: axisStroke)))
        }
        drawTickLabels(into: &scene, left: left, bottom: bottom)
        drawTitles(into: &scene)
    }

    private func drawTickLabels(into scene: inout Scene, left: Double, bottom: Double) {
        let size = Theme.tickLabelSize
        let xBaseline = bottom + Theme.tickLength + Theme.tickLabelGap + size * 0.8
        for tick in xTicks {
            if rotateXLabels {
                scene.add(
                    .text(
                        TextRun(
                            text: tick.label,
                            position: Point(x: tick.position + size * 0.3, y: xBaseline - 2),
                            size: size, color: Theme.tickLabelColor, anchor: .end, rotation: -45)))
            } else {
                scene.add(
                    .text(
                        TextRun(
                            text: tick.label, position: Point(x: tick.position, y: xBaseline),
                            size: size, color: Theme.tickLabelColor, anchor: .middle)))
            }
        }
        for tick in yTicks {
            let position = Point(
                x: left - Theme.tickLength - Theme.tickLabelGap, y: tick.position + size * 0.35)
            scene.add(
                .text(
                    TextRun(
                        text: tick.label, position: position, size: size,
                        color: Theme.tickLabelColor, anchor: .end)))
        }
    }

    private func drawTitles(into scene: inout Scene) {
        if let xLabel, !xLabel.isEmpty {
            let rotated = rotateXLabels ? rotatedLabelWidth : nil
            let baseline =
                plotRect.maxY + Self.bottomMargin(hasLabel: true, rotatedLabelWidth: rotated) - 10
            scene.add(
                .text(
                    TextRun(
                        text: xLabel, position: Point(x: plotRect.midX, y: baseline),
                        size: Theme.labelSize, color: Theme.labelColor, anchor: .middle)))
        }
        if let yLabel, !yLabel.isEmpty {
            let x = frameMinX + Theme.padding + Theme.labelSize * 0.8
            scene.add(
                .text(
                    TextRun(
                        text: yLabel, position: Point(x: x, y: plotRect.midY),
                        size: Theme.labelSize, color: Theme.labelColor, anchor: .middle,
                        rotation: -90)))
        }
    }

    private func horizontalLine(at y: Double) -> [Point] {
        let y = Self.crisp(y)
        return [Point(x: plotRect.minX, y: y), Point(x: plotRect.maxX, y: y)]
    }

    private func verticalLine(at x: Double) -> [Point] {
        let x = Self.crisp(x)
        return [Point(x: x, y: plotRect.minY), Point(x: x, y: plotRect.maxY)]
    }

    private func gridPath(_ lines: [[Point]], color: Color) -> ScenePath {
        ScenePath(
            subpaths: lines, isClosed: false, fill: nil,
            stroke: Stroke(color: color, width: Theme.gridLineWidth))
    }

    /// The centre of the pixel column or row holding `value`: 1-px lines drawn there are sharp
    /// at 1x and 2x.
    static func crisp(_ value: Double) -> Double {
        value.rounded(.down) + 0.5
    }
}
