import Cell
import KernelInterface
import NN

/// `History`: per-epoch metrics of a `fit` (`history["val_accuracy"]`, `history.best("val_loss")`),
/// shown as a table (see `DisplayBundles`).
enum HistoryBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        registry.type(
            History.self, name: "History", kind: .reference, module: module,
            doc: """
                What `fit` did: one record per epoch (training and `val_` metrics, seconds, \
                learning rate) and the loss of every batch.

                ```swift
                history["val_accuracy"]       // [0.83, 0.85, …]
                history.best("val_loss")      // (epoch: 7, value: 0.331)
                ```
                """
        ) { type in
            type.initializer(parameters: [], doc: "An empty History to pass to `fit(…, history:)`.")
            {
                arguments in try arguments.session.wrap(History())
            }
            let metric = Param<String>.positional("metric")
            type.subscript(
                parameters: [metric], returns: "[Double]",
                doc: "The metric's value for every epoch: `history[\"loss\"]`.",
                get: { history, arguments in
                    let name = try arguments[metric]
                    guard history.epochs.isEmpty || history.metricNames.contains(name) else {
                        throw CellError.invalidValue(
                            "the history has no metric \"\(name)\"; it has "
                                + history.metricNames.joined(separator: ", "))
                    }
                    return .array(history[name].map(Value.metric))
                })
            type.property("epochs", type: "Int", doc: "The number of finished epochs.") {
                .int($0.count)
            }
            type.property("count", type: "Int", doc: "The number of finished epochs.") {
                .int($0.count)
            }
            type.property("metricNames", type: "[String]", doc: "The metrics recorded, in order.") {
                .array($0.metricNames.map(Value.string))
            }
            type.property(
                "history", type: "[String: [Double]]",
                doc: "Every metric's values by name, as Keras's `history.history`."
            ) { history in
                var dictionary = DictionaryValue()
                for name in history.metricNames {
                    dictionary[.string(name)] = .array(history[name].map(Value.metric))
                }
                return .dictionary(dictionary)
            }
            type.property("last", type: "[String: Double]", doc: "The last epoch's metrics.") {
                history in
                guard let record = history.epochs.last else { return .nilValue }
                var dictionary = DictionaryValue()
                for name in record.metricNames {
                    if let value = record.metrics[name] {
                        dictionary[.string(name)] = .metric(value)
                    }
                }
                return .dictionary(dictionary)
            }
            type.property("batchLosses", type: "[Double]", doc: "The loss of every batch.") {
                .array($0.batchLosses.map(Value.metric))
            }
            type.property(
                "learningRates", type: "[Double]", doc: "The learning rate after each epoch."
            ) {
                .array($0.learningRates.map { .float32($0) })
            }
            type.property("seconds", type: "Double", doc: "Training and validation time in total.")
            {
                .double($0.totalSeconds)
            }
            type.property(
                "outcome", type: "String",
                doc: "How training ended: completed, stopped after epoch n, interrupted, failed."
            ) { .string($0.outcome.description) }
            type.method(
                "best", parameters: [metric],
                returns: "(epoch: Int, value: Double)?",
                doc: "The epoch (from 1) with the best value of a metric, and that value."
            ) { history, arguments in
                guard let best = history.best(try arguments[metric]) else { return .nilValue }
                return .tuple(
                    TupleValue(
                        [.int(best.epoch + 1), .metric(best.value)], labels: ["epoch", "value"]))
            }
            type.description { $0.description }
            type.summary { "\($0.count) epochs, \($0.outcome)" }
        }
    }
}
