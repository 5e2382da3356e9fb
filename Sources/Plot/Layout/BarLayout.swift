/// Lays out a grouped bar chart: categories along x, a value axis anchored at zero on y.
struct BarLayout {
    static let groupFill = 0.8
    static let maximumLabelLength = 28

    let chart: BarChart
    let frame: Rect

    func draw(into scene: inout Scene) {
        let categories = chart.categories.map {
            LegendLayout.shortened($0, limit: Self.maximumLabelLength)
        }
        let colors = seriesColors()
        let values = chart.series.flatMap { $0.values.prefix(categories.count) }
        let yDomain = AxisPlanner.domain(
            of: values, axis: chart.valueAxis, margin: 0.06,
            anchoredAtZero: chart.valueAxis.scale == .linear)

        // Category labels: horizontal if they fit their band, else rotated 45°.
        let hasXLabel = !(chart.categoryLabel ?? "").isEmpty
        let widths = categories.map { FontMetrics.width(of: $0, size: Theme.tickLabelSize) }
        let estimatedBand = (frame.width - 80) / Double(max(categories.count, 1))
        let rotate = (widths.max() ?? 0) > estimatedBand - 6
        let bottom =
            (frame.maxY
            - AxesDrawing.bottomMargin(
                hasLabel: hasXLabel, rotatedLabelWidth: rotate ? widths.max() ?? 0 : nil))
            .rounded()
        let entries = chart.series.enumerated().compactMap { index, series -> LegendEntry? in
            guard let name = series.name, !name.isEmpty else { return nil }
            return LegendEntry(name: name, color: colors[index], swatch: .box)
        }
        let legend = LegendLayout(entries: entries, position: chart.legend)
        // Bars fill the plot up to its top, so an automatic legend goes above it, in a row.
        let legendAbove =
            chart.legend == .automatic && !entries.isEmpty && legend.rowWidth < frame.width - 100
        let top = (frame.minY + (legendAbove ? 28 : 10)).rounded()
        let yAxis = AxisPlanner.plan(
            scale: chart.valueAxis.scale, domain: yDomain, start: max(bottom, top + 1), end: top,
            orientation: .vertical, integers: AxisPlanner.areIntegers(values))
        let yLabelWidth =
            yAxis.ticks.map {
                FontMetrics.width(of: $0.label, size: Theme.tickLabelSize)
            }.max() ?? 0
        let left =
            (frame.minX
            + AxesDrawing.leftMargin(
                labelWidth: yLabelWidth, hasLabel: !(chart.valueAxis.label ?? "").isEmpty))
            .rounded()
        let plotRect = Rect(
            x: left, y: top, width: max((frame.maxX - 16).rounded() - left, 1),
            height: max(bottom - top, 1))
        let band = plotRect.width / Double(max(categories.count, 1))

        var xTicks = categories.enumerated().map { index, name in
            Tick(
                value: Double(index), label: name,
                position: plotRect.minX + band * (Double(index) + 0.5))
        }
        if rotate { xTicks = thinned(xTicks, spacing: band) }
        let axes = AxesDrawing(
            plotRect: plotRect, xTicks: xTicks, yTicks: yAxis.ticks,
            yMinorTicks: yAxis.minorTickPositions, xLabel: chart.categoryLabel,
            yLabel: chart.valueAxis.label, xGrid: false, rotateXLabels: rotate,
            rotatedLabelWidth: widths.max() ?? 0, frameMinX: frame.minX)
        axes.drawGrid(into: &scene)

        let baseline =
            yAxis.scale.position(chart.valueAxis.scale == .log ? yAxis.scale.lower : 0)
            ?? plotRect.maxY
        let seriesCount = max(chart.series.count, 1)
        let barWidth = band * Self.groupFill / Double(seriesCount)
        var obstacles: [ProjectedMark] = []
        for (seriesIndex, series) in chart.series.enumerated() {
            var bars: [Rect] = []
            for (index, value) in series.values.prefix(categories.count).enumerated() {
                guard let top = yAxis.scale.position(value) else { continue }
                let x =
                    plotRect.minX + band * Double(index) + band * (1 - Self.groupFill) / 2
                    + barWidth * Double(seriesIndex)
                let bar = Rect(
                    x: x, y: min(top, baseline), width: barWidth, height: abs(baseline - top)
                ).intersection(plotRect)
                if bar.width > 0 { bars.append(bar) }
            }
            let mark = ProjectedMark(geometry: .bars(bars), color: colors[seriesIndex])
            mark.draw(into: &scene)
            obstacles.append(mark)
        }
        axes.drawAxes(into: &scene)
        if legendAbove {
            legend.drawRow(into: &scene, right: plotRect.maxX, midY: frame.minY + 12)
        } else {
            legend.draw(into: &scene, plotRect: plotRect, obstacles: obstacles)
        }
    }

    private func seriesColors() -> [Color] {
        var next = 0
        return chart.series.map { series in
            if let color = series.color { return color }
            defer { next += 1 }
            return Palette.color(at: next)
        }
    }

    /// Keeps every k-th rotated label so that neighbours stay a line apart.
    private func thinned(_ ticks: [Tick], spacing: Double) -> [Tick] {
        let needed = Theme.tickLabelSize * 1.3
        guard spacing < needed, spacing > 0 else { return ticks }
        let stride = Int((needed / spacing).rounded(.up))
        return ticks.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
    }
}
