/// Lays out an `XYPlot` in a frame: axes fitted to the data, marks clipped to the plot area,
/// and a legend.
struct PlotLayout {
    let plot: XYPlot
    let frame: Rect

    func draw(into scene: inout Scene) {
        let marks = ResolvedMark.resolve(plot.marks)
        let legend = LegendLayout(entries: marks.compactMap(\.legendEntry), position: plot.legend)
        var layout = arrange(marks, top: (frame.minY + 10).rounded())
        // When every inside corner would hide data, the legend goes in a row above the plot.
        let legendAbove =
            legend.rowWidth < frame.width - 60
            && legend.coversData(plotRect: layout.axes.plotRect, obstacles: layout.projected)
        if legendAbove { layout = arrange(marks, top: (frame.minY + 28).rounded()) }
        layout.axes.drawGrid(into: &scene)
        for mark in layout.projected { mark.draw(into: &scene) }
        layout.axes.drawAxes(into: &scene)
        if legendAbove {
            legend.drawRow(into: &scene, right: layout.axes.plotRect.maxX, midY: frame.minY + 12)
        } else {
            legend.draw(into: &scene, plotRect: layout.axes.plotRect, obstacles: layout.projected)
        }
    }

    /// Axes fitted to the data below `top`, and the marks projected onto them.
    private func arrange(_ marks: [ResolvedMark], top: Double) -> (
        axes: AxesDrawing, projected: [ProjectedMark]
    ) {
        let hasHistogram = marks.contains {
            if case .histogram = $0.mark { return true } else { return false }
        }
        let xValues = marks.flatMap(\.xValues)
        let yValues = marks.flatMap(\.yValues)
        let xDomain = AxisPlanner.domain(
            of: xValues, axis: plot.xAxis, margin: hasHistogram ? 0.02 : 0.04)
        let yDomain = AxisPlanner.domain(
            of: yValues, axis: plot.yAxis, margin: 0.05,
            anchoredAtZero: hasHistogram && plot.yAxis.scale == .linear)

        let bottom = (frame.maxY - AxesDrawing.bottomMargin(hasLabel: hasText(plot.xAxis.label)))
            .rounded()
        let yAxis = AxisPlanner.plan(
            scale: plot.yAxis.scale, domain: yDomain, start: bottom, end: top,
            orientation: .vertical, integers: AxisPlanner.areIntegers(yValues),
            given: plot.yAxis.ticks)
        let yLabelWidth =
            yAxis.ticks.map {
                FontMetrics.width(of: $0.label, size: Theme.tickLabelSize)
            }.max() ?? 0
        let left =
            (frame.minX
            + AxesDrawing.leftMargin(labelWidth: yLabelWidth, hasLabel: hasText(plot.yAxis.label)))
            .rounded()
        let xAxis = planXAxis(
            domain: xDomain, left: left,
            integers: !hasHistogram && AxisPlanner.areIntegers(xValues))
        let plotRect = Rect(
            x: left, y: top, width: max(xAxis.scale.end - left, 1), height: max(bottom - top, 1))

        let axes = AxesDrawing(
            plotRect: plotRect, xTicks: xAxis.ticks, yTicks: yAxis.ticks,
            xMinorTicks: xAxis.minorTickPositions, yMinorTicks: yAxis.minorTickPositions,
            xLabel: plot.xAxis.label, yLabel: plot.yAxis.label, frameMinX: frame.minX)
        let projected = marks.map { $0.project(x: xAxis.scale, y: yAxis.scale, in: plotRect) }
        return (axes, projected)
    }

    /// Plans the x axis; widens the right margin when the last tick label would stick out.
    private func planXAxis(domain: (lower: Double, upper: Double), left: Double, integers: Bool)
        -> PlannedAxis
    {
        var right = (frame.maxX - 18).rounded()
        var axis = AxisPlanner.plan(
            scale: plot.xAxis.scale, domain: domain, start: left, end: right,
            orientation: .horizontal, integers: integers, given: plot.xAxis.ticks)
        if let last = axis.ticks.last {
            let overhang =
                last.position + FontMetrics.width(of: last.label, size: Theme.tickLabelSize) / 2
                - (frame.maxX - 4)
            if overhang > 0 {
                right -= overhang.rounded(.up)
                axis = AxisPlanner.plan(
                    scale: plot.xAxis.scale, domain: domain, start: left, end: right,
                    orientation: .horizontal, integers: integers, given: plot.xAxis.ticks)
            }
        }
        return axis
    }

    private func hasText(_ text: String?) -> Bool {
        !(text ?? "").isEmpty
    }
}
