import Foundation
import Plot
import Tune

/// A study as Plot values: its trials as a `Table` (aligned text and HTML) and its charts —
/// best value so far by trial, intermediate values per trial (pruned ones cut), the Pareto
/// front and parameter importances.
enum StudyViews {
    /// One row per trial: number, state, value(s), steps (epochs) used, wall-clock seconds,
    /// feasibility, then the
    /// parameters; the best trial highlighted. The text form is the library's own description.
    static func table(_ study: Study) -> Table {
        let names = study.parameterNames
        let objectives = study.directions.count
        let valueTitles = objectives == 1 ? ["value"] : (0..<objectives).map { "value \($0)" }
        let hasConstraints = study.trials.contains { !$0.constraints.isEmpty }
        let hasSeconds = study.trials.contains { $0.seconds != nil }
        let rows = study.trials.map { trial -> [TableCell] in
            var row: [TableCell] = [.integer(trial.number), .text(trial.state.description)]
            row += (0..<objectives).map { index in
                trial.values.count > index ? .number(trial.values[index]) : .empty
            }
            row.append(trial.stepCount > 0 ? .integer(trial.stepCount) : .empty)
            if hasSeconds { row.append(trial.seconds.map(TableCell.number) ?? .empty) }
            if hasConstraints {
                row.append(
                    trial.constraints.isEmpty ? .empty : .text(trial.isFeasible ? "yes" : "no"))
            }
            row += names.map { name in
                switch trial.parameters[name] {
                case .double(let value)?: return .number(value)
                case .int(let value)?: return .integer(value)
                case let other?: return .text(other.description)
                case nil: return .empty
                }
            }
            return row
        }
        let best = objectives == 1 ? (try? study.best)?.number : nil
        return Table(
            columns: ["trial", "state"] + valueTitles.map { TableColumn($0, format: .fixed(4)) }
                + ["steps"] + (hasSeconds ? [TableColumn("seconds", format: .fixed(2))] : [])
                + (hasConstraints ? ["feasible"] : []) + names.map { TableColumn($0) },
            rows: rows, caption: study.summary, highlightedRow: best)
    }

    /// The best value so far against the trial number, each complete trial's value a dot.
    static func historyChart(_ study: Study, title: String?) -> Chart {
        var bestX: [Double] = []
        var bestY: [Double] = []
        for (index, value) in study.bestValues.enumerated() {
            if let value {
                bestX.append(Double(index))
                bestY.append(value)
            }
        }
        let complete = study.trials.filter { $0.state == .complete && $0.value != nil }
        let marks: [PlotMark] = [
            .scatter(
                ScatterSeries(
                    name: "trial", x: complete.map { Double($0.number) },
                    y: complete.compactMap(\.value), color: Palette.color(at: 0))),
            .line(
                LineSeries(name: "best so far", x: bestX, y: bestY, color: Palette.color(at: 1))),
        ]
        let plot = XYPlot(
            xAxis: Axis(label: "trial"), yAxis: Axis(label: "objective value"), marks: marks)
        return Chart(title: title ?? "Optimization history", content: .plot(plot))
    }

    /// Each trial's first reported value by step; a pruned trial's line ends at its last
    /// report, with a cross.
    static func intermediateChart(_ study: Study, title: String?) -> Chart {
        var marks: [PlotMark] = []
        var cutX: [Double] = []
        var cutY: [Double] = []
        for trial in study.trials where !trial.intermediateValues.isEmpty {
            let steps = trial.steps
            let values = steps.map { trial.intermediateValues[$0]?.first ?? .nan }
            marks.append(
                .line(
                    LineSeries(
                        x: steps.map(Double.init), y: values,
                        color: Palette.color(at: trial.state == .pruned ? 7 : 0), lineWidth: 1)))
            if trial.state == .pruned, let step = steps.last, let value = values.last {
                cutX.append(Double(step))
                cutY.append(value)
            }
        }
        if !cutX.isEmpty {
            marks.append(
                .scatter(
                    ScatterSeries(
                        name: "pruned", x: cutX, y: cutY, color: Palette.color(at: 3),
                        marker: .cross, size: 4, opacity: 1)))
        }
        let plot = XYPlot(
            xAxis: Axis(label: "step"), yAxis: Axis(label: "intermediate value"), marks: marks)
        return Chart(title: title ?? "Intermediate values", content: .plot(plot))
    }

    /// The first two objectives of every complete trial, the Pareto front highlighted.
    static func paretoChart(_ study: Study, title: String?) -> Chart {
        let complete = study.trials.filter { $0.state == .complete && $0.values.count >= 2 }
        let front = study.paretoFront.filter { $0.values.count >= 2 }
            .sorted { $0.values[0] < $1.values[0] }
        let marks: [PlotMark] = [
            .scatter(
                ScatterSeries(
                    name: "trial", x: complete.map { $0.values[0] },
                    y: complete.map { $0.values[1] },
                    color: Palette.color(at: 0).mixed(with: .white, fraction: 0.4))),
            .line(
                LineSeries(
                    name: "Pareto front", x: front.map { $0.values[0] },
                    y: front.map { $0.values[1] }, color: Palette.color(at: 1), marker: .circle)),
        ]
        let plot = XYPlot(
            xAxis: Axis(label: "objective 0 (\(study.directions.first?.rawValue ?? ""))"),
            yAxis: Axis(
                label: "objective 1 (\(study.directions.dropFirst().first?.rawValue ?? ""))"),
            marks: marks)
        return Chart(title: title ?? "Pareto front", content: .plot(plot))
    }

    /// Importances as bars, largest first.
    static func importanceChart(_ importances: [ParameterImportance], title: String?) throws
        -> Chart
    {
        try Chart.bar(
            categories: importances.map(\.name),
            series: [BarSeries(name: "importance", values: importances.map(\.importance))],
            title: title ?? "Parameter importances (PED-ANOVA)")
    }
}
