import Foundation
import Plot
import Testing
import Tune

@testable import CellLibrary

/// Issue 13's parameter charts on real studies: the slice plot, parallel coordinates and the
/// contour of two parameters, from Swift and from cells (`study.plot(.slice)`).
@Suite struct StudyChartTests {
    /// A TPE study of 30 trials over a log-scaled rate, an integer and a string choice;
    /// the best is near rate 0.01, 2 layers, "relu".
    func study(direction: StudyDirection = .minimize) throws -> Study {
        let study = Study(direction: direction, sampler: RandomSampler(seed: 5))
        try study.optimize(trials: 30) { trial in
            let rate = try trial.logUniform("rate", 1e-4...1)
            let layers = try trial.int("layers", 1...4)
            let activation = try trial.choice("activation", ["relu", "tanh", "gelu"])
            if trial.number == 3 { throw TuneError.invalidArgument(function: "f", message: "x") }
            let loss =
                pow(log10(rate) + 2, 2) + Double(abs(layers - 2))
                + (activation == "relu" ? 0 : 0.5)
            return direction == .minimize ? loss : -loss
        }
        return study
    }

    func plot(_ chart: Chart) throws -> XYPlot {
        guard case .plot(let plot) = chart.content else { throw ChartShapeError() }
        return plot
    }

    struct ChartShapeError: Error {}

    func scatter(_ plot: XYPlot, named name: String) -> ScatterSeries? {
        for case .scatter(let series) in plot.marks where series.name == name { return series }
        return nil
    }

    @Test func aSlicePlotHasAPanelPerParameterWithEveryCompleteTrial() throws {
        let study = try study()
        let chart = try StudyParameterCharts.slice(study, names: nil, title: nil)
        guard case .panels(let panels, _) = chart.content else {
            Issue.record("not panels")
            return
        }
        #expect(panels.map(\.title) == ["rate", "layers", "activation"])
        let complete = study.trials.filter { $0.state == .complete }
        #expect(complete.count == 29)
        let rate = try plot(panels[0])
        #expect(rate.xAxis.scale == .log)
        let points = try #require(scatter(rate, named: "trial"))
        #expect(points.x.count == 29)
        #expect(points.x == complete.map { $0.parameters["rate"]?.doubleValue ?? .nan })
        #expect(points.y == complete.compactMap(\.value))
        // The choice's options are the ticks, the trials at their indices.
        let activation = try plot(panels[2])
        #expect(activation.xAxis.ticks.map(\.label) == ["relu", "tanh", "gelu"])
        let indices = try #require(scatter(activation, named: "trial")).x
        #expect(Set(indices).isSubset(of: [0, 1, 2]))
        // The best trial is marked where it is.
        let best = try #require(scatter(rate, named: "best"))
        #expect(best.y == [try study.best.value])
        #expect(best.x == [try study.best.parameters["rate"]?.doubleValue ?? .nan])
        // Only the named parameters, in that order; an unknown name lists the study's.
        let two = try StudyParameterCharts.slice(study, names: ["layers", "rate"], title: "t")
        guard case .panels(let chosen, _) = two.content else { return }
        #expect(chosen.map(\.title) == ["layers", "rate"])
        #expect(throws: (any Error).self) {
            try StudyParameterCharts.slice(study, names: ["units"], title: nil)
        }
        #expect(chart.svg().contains(">gelu<"))
        #expect(try chart.png().count > 1000)
    }

    @Test func parallelCoordinatesDrawEveryTrialWithTheBestOnTop() throws {
        for direction in StudyDirection.allCases {
            let study = try study(direction: direction)
            let chart = try StudyParameterCharts.parallelCoordinates(
                study, names: nil, title: nil)
            let lines = try plot(chart).marks.compactMap { mark -> LineSeries? in
                if case .line(let series) = mark { return series }
                return nil
            }
            #expect(lines.count == 29)
            #expect(lines.allSatisfy { $0.x == [0, 1, 2, 3] })
            #expect(lines.allSatisfy { $0.y.allSatisfy { (0...1).contains($0) } })
            // Drawn last, named, at the top of the value axis (the best value is highest
            // when maximizing, lowest when minimizing).
            let best = try #require(lines.last)
            let bestTrial = try study.best
            #expect(best.name == "best (trial \(bestTrial.number))")
            #expect(best.y[0] == (direction == .maximize ? 1 : 0))
            let ticks = try plot(chart).xAxis.ticks.map(\.label)
            #expect(ticks.count == 4)
            #expect(ticks[0].hasPrefix("value (") && ticks[1].hasPrefix("rate ("))
            #expect(ticks[3] == "activation")
        }
    }

    @Test func aContourFindsTheMinimumOfABowl() throws {
        let study = Study(direction: .minimize, sampler: RandomSampler(seed: 2))
        try study.optimize(trials: 80) { trial in
            let x = try trial.uniform("x", 0...1)
            let y = try trial.uniform("y", 0...1)
            return (x - 0.3) * (x - 0.3) + (y - 0.7) * (y - 0.7)
        }
        let chart = try StudyParameterCharts.contour(study, x: "x", y: "y", title: nil)
        let marks = try plot(chart).marks
        let levels = marks.compactMap { mark -> LineSeries? in
            if case .line(let series) = mark { return series }
            return nil
        }
        #expect(levels.count == 6)
        #expect(levels.allSatisfy { $0.x.contains { !$0.isNaN } })
        // The smoothed surface is lowest near the true minimum (0.3, 0.7).
        let parameters = StudyParameterCharts.parameters(study)
        let points = study.trials.compactMap { trial -> (Double, Double, Double)? in
            guard let x = trial.parameters["x"]?.doubleValue,
                let y = trial.parameters["y"]?.doubleValue, let value = trial.value
            else { return nil }
            return (x, y, value)
        }
        let grid = try StudyParameterCharts.interpolatedGrid(
            points, xAxis: parameters[0], yAxis: parameters[1])
        var lowest = (x: 0.0, y: 0.0, value: Double.infinity)
        for (row, values) in grid.values.enumerated() {
            for (column, value) in values.enumerated() where value < lowest.value {
                lowest = (grid.xs[column], grid.ys[row], value)
            }
        }
        #expect(abs(lowest.x - 0.3) < 0.1 && abs(lowest.y - 0.7) < 0.1, "\(lowest)")
        // The lowest level's line runs where the bowl is lower than along the highest's.
        func meanTrueValue(_ line: LineSeries) -> Double {
            let values = zip(line.x, line.y).filter { !$0.0.isNaN }.map {
                ($0.0 - 0.3) * ($0.0 - 0.3) + ($0.1 - 0.7) * ($0.1 - 0.7)
            }
            return values.reduce(0, +) / Double(values.count)
        }
        let (first, last) = (try #require(levels.first), try #require(levels.last))
        #expect(meanTrueValue(first) < meanTrueValue(last))
        #expect(try #require(scatter(try plot(chart), named: "trial")).x.count == 80)
        // Errors that say what is wrong.
        #expect(throws: (any Error).self) {
            try StudyParameterCharts.contour(study, x: "x", y: "x", title: nil)
        }
        #expect(throws: (any Error).self) {
            try StudyParameterCharts.contour(study, x: "x", y: "z", title: nil)
        }
    }

    @Test func aContourOverALogAndAChoiceParameterUsesTheirAxes() throws {
        let chart = try StudyParameterCharts.contour(
            try study(), x: "rate", y: "activation", title: nil)
        let plot = try plot(chart)
        #expect(plot.xAxis.scale == .log)
        #expect(plot.yAxis.ticks.map(\.label) == ["relu", "tanh", "gelu"])
        let lines = plot.marks.compactMap { mark -> LineSeries? in
            if case .line(let series) = mark { return series }
            return nil
        }
        // Grid coordinates are drawn values: rates within the log range.
        let rates = lines.flatMap(\.x).filter { !$0.isNaN }
        #expect(!rates.isEmpty && rates.allSatisfy { (1e-4...1).contains($0) })
        #expect(chart.svg().contains(">relu<"))
    }
}
