import Foundation
import Testing

@testable import Plot

/// Extreme and malformed inputs through every renderer: nothing may trap.
@Suite struct RobustnessTests {
    static let extremes: [Double] = [
        .nan, .infinity, -.infinity, 1.7e308, -1.7e308, .leastNonzeroMagnitude, -0.0, 0, 1, -1,
    ]

    static var charts: [Chart] {
        get throws {
            let x = extremes.indices.map(Double.init)
            var charts: [Chart] = [
                Chart.line([LineSeries(name: "extreme", x: x, y: extremes, marker: .diamond)]),
                Chart.line([LineSeries(x: extremes, y: extremes)], y: Axis(scale: .log)),
                Chart.line([LineSeries(x: extremes, y: x)], x: Axis(scale: .log)),
                Chart.scatter([ScatterSeries(name: "s", x: extremes, y: extremes.reversed())]),
                Chart.line(
                    [LineSeries(y: [1, 2])], y: Axis(lowerBound: .nan, upperBound: .infinity)),
                Chart.line(
                    [LineSeries(y: [1, 2])], y: Axis(scale: .log, lowerBound: -1, upperBound: 0)),
                Chart.histogram([try Histogram(values: extremes)]),
                Chart.histogram([try Histogram(edges: [-1e308, 0, 1e308], counts: [.nan, 1e308])]),
                try Chart.bar(
                    categories: extremes.map { "\($0)" }, series: [BarSeries(values: extremes)]),
                try Chart.bar(
                    categories: ["a", "b"], series: [BarSeries(values: [1e308, -1e308])],
                    valueAxis: Axis(scale: .log)),
                Chart.heatmap(try Heatmap(values: extremes, rowCount: 2, columnCount: 5)),
                Chart.heatmap(
                    try Heatmap(values: extremes, rowCount: 5, columnCount: 2, colormap: .redBlue)),
                Chart.heatmap(try Heatmap(values: [.nan, .nan], rowCount: 1, columnCount: 2)),
                Chart.images(
                    ImageGrid(
                        images: [
                            GridImage(
                                pixels: try ImagePixels(
                                    width: 2, height: 1, channels: 1,
                                    values: [Float.nan, .infinity]),
                                caption: String(repeating: "long caption ", count: 20))
                        ], columns: -3)),
            ]
            var heatmap = try Heatmap(values: [1, 2], rowCount: 1, columnCount: 2)
            heatmap.range = 5...5
            charts.append(Chart.heatmap(heatmap))
            charts.append(
                Chart(title: "\u{0}\u{1F}<&>", width: 48, height: 48, content: .plot(XYPlot())))
            return charts
        }
    }

    @Test func everyRendererCopes() throws {
        for chart in try Self.charts {
            var small = chart
            small.width = min(chart.width, 240)
            small.height = min(chart.height, 160)
            #expect(ParsedXML(small.svg()).isWellFormed, "\(small.summary)")
            let png = try DecodedPNG(small.png(scale: 1))
            #expect(png.width == Int(small.drawnWidth), "\(small.summary)")
            for width in [24, 80] {
                let text = small.text(width: width)
                #expect(
                    text.split(separator: "\n").allSatisfy {
                        TerminalWidth.columns(of: String($0)) <= width
                    },
                    "\(small.summary)")
            }
        }
    }

    @Test func tablesAndProgressCope() {
        let table = Table(
            title: "\n",
            columns: [TableColumn("x", format: .fixed(99)), TableColumn("y", format: .bytes)],
            rows: [[.number(.nan), .number(-.infinity)], [.number(1e308), .integer(Int.min)]],
            highlightedRow: 7)
        #expect(!table.text(maxWidth: 1).isEmpty)
        #expect(ParsedXML(table.html()).isWellFormed)
        var state = ProgressState(epoch: -3, epochCount: 0, stepCount: -5)
        state.step = Int.max
        state.elapsed = .nan
        state.samples = Int.max
        state.metrics = [ProgressMetric("loss", .nan), ProgressMetric("big", 1e308)]
        state.finishEpoch(with: [
            ProgressMetric("loss", .infinity), ProgressMetric("loss", -.infinity),
        ])
        #expect(!state.line(width: 1).isEmpty)
        #expect(!state.epochLine().isEmpty)
        #expect(ParsedXML(state.html()).isWellFormed)
    }
}
