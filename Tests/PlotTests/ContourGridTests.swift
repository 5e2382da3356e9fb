import Foundation
import Testing

@testable import Plot

/// Contour lines by marching squares, and axes with given (category) ticks.
@Suite struct ContourGridTests {
    /// z = x² + y² on [−1, 1]², `count` points a side.
    func cone(_ count: Int) throws -> ContourGrid {
        let coordinates = (0..<count).map { -1 + 2 * Double($0) / Double(count - 1) }
        return try ContourGrid(
            xs: coordinates, ys: coordinates,
            values: coordinates.map { y in coordinates.map { x in x * x + y * y } })
    }

    @Test func theLinesOfAConeAreCircles() throws {
        let grid = try cone(41)
        let segments = grid.segments(at: 0.25)
        #expect(segments.count > 20)
        for segment in segments {
            for (x, y) in [(segment.x0, segment.y0), (segment.x1, segment.y1)] {
                #expect(abs((x * x + y * y).squareRoot() - 0.5) < 0.01)
            }
        }
        // The circle goes all the way round: points in each quadrant.
        let quadrants = Set(segments.map { ($0.x0 >= 0 ? 1 : 0) + ($0.y0 >= 0 ? 2 : 0) })
        #expect(quadrants.count == 4)
        // Outside the surface's range there is no line.
        #expect(grid.segments(at: 3).isEmpty)
        #expect(grid.segments(at: -1).isEmpty)
        #expect(grid.valueRange == 0...2)
    }

    @Test func aSaddleCellGivesTwoPiecesAndBrokenCellsNone() throws {
        let saddle = try ContourGrid(xs: [0, 1], ys: [0, 1], values: [[1, 0], [0, 1]])
        #expect(saddle.segments(at: 0.5).count == 2)
        let broken = try ContourGrid(xs: [0, 1], ys: [0, 1], values: [[1, .nan], [0, 1]])
        #expect(broken.segments(at: 0.5).isEmpty)
    }

    @Test func aLineSeriesBreaksBetweenPieces() throws {
        let line = try cone(11).line(at: 0.5, name: "0.5", color: nil)
        #expect(line.x.count % 3 == 0)
        #expect(line.x.enumerated().allSatisfy { $0.offset % 3 == 2 ? $0.element.isNaN : true })
    }

    @Test func raggedOrTooSmallGridsAreErrors() {
        #expect(throws: PlotError.self) {
            try ContourGrid(xs: [0], ys: [0, 1], values: [[1], [2]])
        }
        #expect(throws: PlotError.self) {
            try ContourGrid(xs: [0, 1], ys: [0, 1], values: [[1, 2], [3]])
        }
    }

    @Test func givenTicksReplaceThePlannedOnes() {
        let plot = XYPlot(
            xAxis: Axis(
                label: "units", lowerBound: -0.5, upperBound: 2.5,
                ticks: [AxisTick(0, "small"), AxisTick(1, "medium"), AxisTick(2, "large")]),
            yAxis: Axis(label: "accuracy"),
            marks: [.scatter(ScatterSeries(x: [0, 1, 2], y: [0.8, 0.85, 0.83]))])
        let chart = Chart(title: "categories", content: .plot(plot))
        let svg = chart.svg()
        for label in ["small", "medium", "large"] { #expect(svg.contains(">\(label)<")) }
        // No planned tick such as 0.5 on that axis.
        #expect(!svg.contains(">0.5<"))
        let text = chart.text(width: 60)
        #expect(text.contains("small") && text.contains("large"))
        // A given tick outside the axis's range is not drawn.
        let outside = XYPlot(
            xAxis: Axis(lowerBound: 0, upperBound: 1, ticks: [AxisTick(5, "far")]),
            marks: [.scatter(ScatterSeries(x: [0, 1], y: [0, 1]))])
        #expect(!Chart(content: .plot(outside)).svg().contains(">far<"))
    }
}
