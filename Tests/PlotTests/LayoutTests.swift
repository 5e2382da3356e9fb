import Testing

@testable import Plot

@Suite struct LayoutTests {
    /// Horizontal extents of the unrotated, centred texts on one baseline (x tick labels).
    func xTickLabelExtents(_ scene: Scene) -> [(Double, Double)] {
        let runs = scene.items.compactMap { item -> TextRun? in
            if case .text(let run) = item, run.anchor == .middle, run.rotation == 0,
                run.size == Theme.tickLabelSize
            {
                return run
            }
            return nil
        }
        let baseline = runs.map(\.position.y).max() ?? 0
        return runs.filter { $0.position.y == baseline }.map { run in
            let width = FontMetrics.width(of: run.text, size: run.size)
            return (run.position.x - width / 2, run.position.x + width / 2)
        }.sorted { $0.0 < $1.0 }
    }

    @Test func longTickLabelsNeverOverlap() {
        for width in stride(from: 160.0, through: 900, by: 53) {
            var chart = Chart.line(
                [LineSeries(x: [1_234_567.891, 1_234_567.893], y: [1, 2])],
                x: Axis(label: "a long quantity"))
            chart.width = width
            let extents = xTickLabelExtents(ChartLayout.scene(for: chart))
            #expect(!extents.isEmpty)
            for (left, right) in zip(extents, extents.dropFirst()) {
                #expect(left.1 <= right.0, "width \(width): labels overlap")
            }
        }
    }

    @Test func segmentsAreClippedToTheRectangle() throws {
        let rect = Rect(x: 0, y: 0, width: 10, height: 10)
        let (a, b) = try #require(
            SegmentClipper.clip(Point(x: -5, y: 5), Point(x: 15, y: 5), to: rect))
        #expect(a == Point(x: 0, y: 5) && b == Point(x: 10, y: 5))
        #expect(SegmentClipper.clip(Point(x: -5, y: -5), Point(x: -1, y: 20), to: rect) == nil)
        let runs = SegmentClipper.clip(
            polyline: [Point(x: 1, y: 1), Point(x: 5, y: 20), Point(x: 9, y: 1)], to: rect)
        #expect(runs.count == 2)
    }

    @Test func linesOutsideFixedLimitsAreClipped() {
        let chart = Chart.line(
            [LineSeries(y: [0, 100, 0])], y: Axis(lowerBound: 0, upperBound: 10))
        let scene = ChartLayout.scene(for: chart)
        for item in scene.items {
            guard case .path(let path) = item, path.stroke?.isRound == true else { continue }
            for point in path.subpaths.flatMap({ $0 }) {
                #expect(point.y >= 0 && point.y <= scene.height)
            }
        }
    }

    @Test func legendAvoidsTheData() throws {
        // A flat line along the top and a steep one at the left: only the bottom right is free.
        let chart = Chart.line([
            LineSeries(name: "plateau", x: [0, 10], y: [1, 1]),
            LineSeries(name: "rise", x: [0, 0.5], y: [0, 1]),
        ])
        let scene = ChartLayout.scene(for: chart)
        let boxes = scene.items.compactMap { item -> Rect? in
            if case .rect(let rect, let fill, let stroke) = item, (fill?.opacity ?? 1) < 1,
                stroke != nil
            {
                return rect
            }
            return nil
        }
        let box = try #require(boxes.first)
        #expect(box.midX > scene.width / 2 && box.midY > scene.height / 2)
    }

    @Test func hostileInputsStillRender() throws {
        let charts: [Chart] = [
            Chart.line([LineSeries(x: [], y: [])]),
            Chart.line([LineSeries(x: [1, 2, 3], y: [.nan, .infinity, -.infinity])]),
            Chart.line([LineSeries(x: [1, 2], y: [-1, 0])], y: Axis(scale: .log)),
            Chart.line([LineSeries(y: [1e308, -1e308, 1e-308])]),
            Chart.line([LineSeries(y: [1, 2])], x: Axis(lowerBound: 5, upperBound: 1)),
            Chart(width: .nan, height: -5, content: .plot(XYPlot())),
            Chart(width: 1e12, height: 10, content: .bars(BarChart(categories: [], series: []))),
            Chart(content: .images(ImageGrid(images: []))),
            Chart(content: .panels([], columns: 0)),
            Chart(
                content: .bars(BarChart(categories: ["a"], series: [BarSeries(values: [1, 2, 3])]))),
        ]
        for chart in charts {
            let document = ParsedXML(chart.svg())
            #expect(document.isWellFormed, "\(chart.summary)")
        }
    }

    @Test func nestedPanelsStopAtAFixedDepth() {
        var chart = Fixtures.lossChart
        for _ in 0..<50 { chart = Chart.panels([chart]) }
        #expect(ParsedXML(chart.svg()).isWellFormed)
    }
}
