import Cell
import NN
import Plot

/// Ready-made charts of training results: `history.plot()` (each metric by epoch, training
/// against validation), `matrix.plot()` for a confusion matrix, and `sweep.plot()` for an LR
/// range test (the loss against a log-scaled learning rate, with the suggestion marked).
enum ChartViews {
    static func install(into registry: Registry) {
        registry.type(History.self, name: "History", kind: .reference, module: "NN", doc: "") {
            type in
            let title = Param<String?>.optional("title")
            type.method(
                "plot", parameters: [title],
                returns: "Chart",
                doc: """
                    The metrics by epoch, one panel per metric with its validation \
                    counterpart: loss with val_loss, accuracy with val_accuracy.
                    """
            ) { history, arguments in
                try arguments.wrap(historyChart(history, title: try arguments[title]))
            }
            type.method(
                "plotBatches", returns: "Chart", doc: "The loss of every batch, in order."
            ) { history, arguments in
                try arguments.wrap(
                    Chart.line(
                        [LineSeries(name: "batch loss", y: history.batchLosses, lineWidth: 1)],
                        title: "Loss per batch", x: Axis(label: "batch"),
                        y: Axis(label: history.lossName.isEmpty ? "loss" : history.lossName)))
            }
        }
        registry.type(
            LearningRateSweep.self, name: "LearningRateSweep", kind: .value, module: "NN",
            doc: "The curve of an LR range test (`model.findLearningRate(…)`)."
        ) { type in
            type.method(
                "plot", returns: "Chart",
                doc: "The loss against the learning rate (log scale), the suggestion marked."
            ) { sweep, arguments in try arguments.wrap(sweepChart(sweep)) }
        }
    }

    /// One panel per metric, each with its `val_` counterpart, against the epoch.
    static func historyChart(_ history: History, title: String?) -> Chart {
        var groups: [(name: String, members: [String])] = []
        for name in history.metricNames {
            let base = name.hasPrefix("val_") ? String(name.dropFirst(4)) : name
            if let index = groups.firstIndex(where: { $0.name == base }) {
                groups[index].members.append(name)
            } else {
                groups.append((base, [name]))
            }
        }
        let epochs = history.epochs.map { Double($0.epoch + 1) }
        let panels = groups.prefix(4).map { group in
            Chart.line(
                group.members.map { name in
                    LineSeries(
                        name: name.hasPrefix("val_") ? "validation" : "training", x: epochs,
                        y: history[name], marker: epochs.count <= 30 ? .circle : nil)
                }, title: group.name, x: Axis(label: "epoch"))
        }
        guard !panels.isEmpty else {
            return Chart.line([], title: title ?? "No epochs yet", x: Axis(label: "epoch"))
        }
        var chart = Chart.panels(Array(panels), columns: min(panels.count, 2), title: title)
        chart.width = panels.count == 1 ? 560 : 880
        return chart
    }

    /// The smoothed loss against the learning rate on a log axis, the raw loss faint behind
    /// it, and the suggested rate marked.
    static func sweepChart(_ sweep: LearningRateSweep) -> Chart {
        Chart.learningRateSweep(
            rates: sweep.learningRates.map { Double($0) }, losses: sweep.losses,
            smoothed: sweep.smoothedLosses, suggestion: sweep.suggestion.map { Double($0) })
    }
}
