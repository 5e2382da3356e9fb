import Cell
import Foundation
import Plot
import Tune

/// The charts of a study's parameters against its objective that Optuna's users know: the slice
/// plot (each parameter against the value), parallel coordinates (every trial as a line across
/// the parameters and the value) and the contour of the value over two parameters. They show
/// the complete trials of the first objective; a log-scaled parameter gets a log axis, a choice
/// its options as ticks.
enum StudyParameterCharts {
    /// A parameter as the charts place it.
    struct ParameterAxis {
        let name: String
        let distribution: Distribution

        /// Whether the parameter is drawn on a log axis.
        var isLog: Bool {
            switch distribution {
            case .float(_, let log), .int(_, _, let log): return log
            case .choice: return false
            }
        }

        /// Where a trial's value is drawn: the value itself, a choice's index.
        func coordinate(_ trial: TrialRecord) -> Double? {
            guard let value = trial.parameters[name] else { return nil }
            if case .choice = distribution { return distribution.internalValue(of: value) }
            return value.doubleValue
        }

        /// The internal coordinate (log of a log-scaled value, a choice's index).
        func internalCoordinate(_ trial: TrialRecord) -> Double? {
            trial.parameters[name].flatMap { distribution.internalValue(of: $0) }
        }

        /// The drawn coordinate of an internal one.
        func coordinate(ofInternal x: Double) -> Double { isLog ? exp(x) : x }

        /// The axis: log for log-scaled parameters, the options as ticks for a choice.
        var axis: Axis {
            if case .choice(let options) = distribution {
                return Axis(
                    label: name, lowerBound: -0.5, upperBound: Double(options.count) - 0.5,
                    ticks: options.enumerated().map { AxisTick(Double($0.offset), "\($0.element)") }
                )
            }
            return Axis(label: name, scale: isLog ? .log : .linear)
        }
    }

    /// The parameters of the study's complete trials, in the order they were first asked.
    static func parameters(_ study: Study) -> [ParameterAxis] {
        let complete = completeTrials(study)
        return study.parameterNames.compactMap { name in
            guard let trial = complete.first(where: { $0.distributions[name] != nil }),
                let distribution = trial.distributions[name]
            else { return nil }
            return ParameterAxis(name: name, distribution: distribution)
        }
    }

    /// The complete trials with a finite first value.
    static func completeTrials(_ study: Study) -> [TrialRecord] {
        study.trials.filter { $0.state == .complete && ($0.value?.isFinite ?? false) }
    }

    static func valueLabel(_ study: Study) -> String {
        "objective value (\(study.direction.rawValue))"
    }

    // MARK: - Slice

    /// One panel per parameter (or those named): the parameter's value against the objective
    /// for each complete trial, the best trial marked.
    static func slice(_ study: Study, names: [String]?, title: String?) throws -> Chart {
        let chosen = try select(parameters(study), names: names)
        let trials = completeTrials(study)
        let best = try? study.best.number
        let panels = chosen.map { parameter -> Chart in
            let shown = trials.filter { parameter.coordinate($0) != nil }
            var marks: [PlotMark] = [
                .scatter(
                    ScatterSeries(
                        name: "trial", x: shown.compactMap(parameter.coordinate),
                        y: shown.compactMap(\.value), color: Palette.color(at: 0)))
            ]
            if let best, let trial = shown.first(where: { $0.number == best }),
                let x = parameter.coordinate(trial), let y = trial.value
            {
                marks.append(
                    .scatter(
                        ScatterSeries(
                            name: "best", x: [x], y: [y], color: Palette.color(at: 1),
                            marker: .diamond, size: 6, opacity: 1)))
            }
            let plot = XYPlot(
                xAxis: parameter.axis, yAxis: Axis(label: valueLabel(study)), marks: marks)
            return Chart(title: parameter.name, content: .plot(plot))
        }
        return Chart.panels(panels, columns: min(panels.count, 3), title: title ?? "Slice plot")
    }

    // MARK: - Parallel coordinates

    /// Every complete trial as a line across the objective and the parameters, each axis scaled
    /// from its smallest to its largest observed value (log for log-scaled parameters, a
    /// choice's options in order); the lines' colour goes from the worst value (light) to the
    /// best (dark), the best trial drawn on top.
    static func parallelCoordinates(_ study: Study, names: [String]?, title: String?) throws
        -> Chart
    {
        let chosen = try select(parameters(study), names: names)
        let trials = completeTrials(study).filter { trial in
            chosen.allSatisfy { $0.internalCoordinate(trial) != nil }
        }
        let values = trials.compactMap(\.value)
        var columns: [[Double]] = [values]
        var labels = ["value"]
        for parameter in chosen {
            columns.append(trials.compactMap(parameter.internalCoordinate))
            labels.append(parameter.name + range(parameter, trials))
        }
        labels[0] += range(values)
        let scaled = columns.map(normalized)
        // Quality from 0 (worst) to 1 (best).
        let loss = values.map { study.direction.loss($0) }
        let quality = normalized(loss).map { 1 - $0 }
        let order = trials.indices.sorted { quality[$0] < quality[$1] }
        var marks: [PlotMark] = []
        for index in order {
            let shade = Colormap.viridis.color(at: 0.85 - 0.85 * quality[index])
            let isBest = index == order.last
            marks.append(
                .line(
                    LineSeries(
                        name: isBest ? "best (trial \(trials[index].number))" : nil,
                        x: scaled.indices.map(Double.init), y: scaled.map { $0[index] },
                        color: isBest ? Palette.color(at: 1) : shade,
                        lineWidth: isBest ? 2.5 : 1, marker: isBest ? .circle : nil)))
        }
        let plot = XYPlot(
            xAxis: Axis(
                label: nil, lowerBound: -0.15, upperBound: Double(labels.count) - 0.85,
                ticks: labels.enumerated().map { AxisTick(Double($0.offset), $0.element) }),
            yAxis: Axis(
                label: "low → high on each axis", lowerBound: 0, upperBound: 1,
                ticks: [AxisTick(0, "low"), AxisTick(1, "high")]),
            marks: marks, legend: .automatic)
        var chart = Chart(title: title ?? "Parallel coordinates", content: .plot(plot))
        chart.width = max(640, Double(labels.count) * 150)
        return chart
    }

    /// " (a–b)", a parameter's observed range as the axis shows it.
    private static func range(_ parameter: ParameterAxis, _ trials: [TrialRecord]) -> String {
        if case .choice = parameter.distribution { return "" }
        let values = trials.compactMap(parameter.coordinate)
        return range(values)
    }

    private static func range(_ values: [Double]) -> String {
        guard let low = values.min(), let high = values.max() else { return "" }
        return " (\(String(format: "%.3g", low))–\(String(format: "%.3g", high)))"
    }

    /// Values scaled to 0…1 from their minimum to their maximum (all 0.5 when they are equal).
    static func normalized(_ values: [Double]) -> [Double] {
        guard let low = values.min(), let high = values.max(), high > low else {
            return values.map { _ in 0.5 }
        }
        return values.map { ($0 - low) / (high - low) }
    }

    // MARK: - Contour

    /// The objective over two parameters: contour lines of a surface smoothed from the complete
    /// trials (a Gaussian-kernel average, Nadaraya–Watson, in the parameters' internal
    /// coordinates each scaled to its observed range) and the trials as dots, the best marked.
    static func contour(_ study: Study, x xName: String, y yName: String, title: String?)
        throws -> Chart
    {
        guard xName != yName else {
            throw CellError.invalidValue(
                "a contour needs two different parameters, not \(xName) twice")
        }
        let chosen = try select(parameters(study), names: [xName, yName])
        let (xAxis, yAxis) = (chosen[0], chosen[1])
        let trials = completeTrials(study).filter {
            xAxis.internalCoordinate($0) != nil && yAxis.internalCoordinate($0) != nil
        }
        guard trials.count >= 2 else {
            throw CellError.invalidValue(
                "a contour needs at least two complete trials with \(xName) and \(yName); "
                    + "the study has \(trials.count)")
        }
        let points = trials.compactMap { trial -> (Double, Double, Double)? in
            guard let u = xAxis.internalCoordinate(trial), let v = yAxis.internalCoordinate(trial),
                let value = trial.value
            else { return nil }
            return (u, v, value)
        }
        let grid = try interpolatedGrid(points, xAxis: xAxis, yAxis: yAxis)
        var marks: [PlotMark] = []
        if let range = grid.valueRange, range.upperBound > range.lowerBound {
            let levels = 6
            for level in 1...levels {
                let fraction = Double(level) / Double(levels + 1)
                let value = range.lowerBound + fraction * (range.upperBound - range.lowerBound)
                let better = study.direction == .maximize ? fraction : 1 - fraction
                marks.append(
                    .line(
                        grid.line(
                            at: value, name: String(format: "%.4g", value),
                            color: Colormap.viridis.color(at: 0.85 - 0.85 * better))))
            }
        }
        marks.append(
            .scatter(
                ScatterSeries(
                    name: "trial", x: trials.compactMap(xAxis.coordinate),
                    y: trials.compactMap(yAxis.coordinate), color: Color(hex: 0x333333),
                    size: 2.5, opacity: 0.9)))
        if let best = try? study.best.record, let x = xAxis.coordinate(best),
            let y = yAxis.coordinate(best)
        {
            marks.append(
                .scatter(
                    ScatterSeries(
                        name: "best", x: [x], y: [y], color: Palette.color(at: 1),
                        marker: .diamond, size: 6, opacity: 1)))
        }
        let plot = XYPlot(xAxis: xAxis.axis, yAxis: yAxis.axis, marks: marks, legend: .automatic)
        return Chart(
            title: title ?? "Contour of the objective over \(xName) and \(yName)",
            content: .plot(plot))
    }

    /// A 32 × 32 grid over the trials' observed ranges (internal coordinates), each value the
    /// trials' values averaged with Gaussian weights of bandwidth `bandwidth` (a fraction of
    /// each range); the coordinates of the grid are drawn ones.
    static func interpolatedGrid(
        _ points: [(Double, Double, Double)], xAxis: ParameterAxis, yAxis: ParameterAxis,
        bandwidth: Double = 0.1
    ) throws -> ContourGrid {
        let size = 32
        func span(_ values: [Double]) -> (Double, Double) {
            let low = values.min() ?? 0
            let high = values.max() ?? 1
            return high > low ? (low, high) : (low - 0.5, high + 0.5)
        }
        let (u0, u1) = span(points.map(\.0))
        let (v0, v1) = span(points.map(\.1))
        let us = (0..<size).map { u0 + (u1 - u0) * Double($0) / Double(size - 1) }
        let vs = (0..<size).map { v0 + (v1 - v0) * Double($0) / Double(size - 1) }
        let values = vs.map { v in
            us.map { u in
                // Distances in bandwidths; the nearest point sets the scale, so that far from
                // every trial the weights do not all underflow to zero.
                let distances = points.map { point -> Double in
                    let du = (u - point.0) / (u1 - u0) / bandwidth
                    let dv = (v - point.1) / (v1 - v0) / bandwidth
                    return (du * du + dv * dv) / 2
                }
                let nearest = distances.min() ?? 0
                var weighted = 0.0
                var total = 0.0
                for (distance, point) in zip(distances, points) {
                    let weight = exp(nearest - distance)
                    weighted += weight * point.2
                    total += weight
                }
                return total > 0 ? weighted / total : .nan
            }
        }
        return try ContourGrid(
            xs: us.map(xAxis.coordinate(ofInternal:)), ys: vs.map(yAxis.coordinate(ofInternal:)),
            values: values)
    }

    /// The parameters named (in that order), or all; an unknown name is an error that lists
    /// the study's.
    static func select(_ all: [ParameterAxis], names: [String]?) throws -> [ParameterAxis] {
        guard !all.isEmpty else {
            throw CellError.invalidValue(
                "the study has no complete trial with parameters to plot yet")
        }
        guard let names else { return all }
        return try names.map { name in
            guard let parameter = all.first(where: { $0.name == name }) else {
                throw CellError.invalidValue(
                    "the study has no parameter '\(name)' in a complete trial; it has "
                        + all.map(\.name).joined(separator: ", "))
            }
            return parameter
        }
    }
}
