import Cell
import Data
import KernelInterface
import NN
import Plot

/// `ConfusionMatrix` in cells: `confusionMatrix(model, data)` (or `model.confusionMatrix(data)`)
/// counts predicted against true classes; it shows as a table with each class's recall, gives
/// per-class scores and plots as an annotated heatmap with `.plot()`.
enum DisplayConfusionMatrix {
    static func install(into registry: Registry) {
        registry.type(
            ConfusionMatrix.self, name: "ConfusionMatrix", kind: .value, module: "NN",
            doc: """
                Counts of (true class, predicted class) pairs over a data set: rows are true \
                classes, columns predicted ones, as scikit-learn's.

                ```swift
                let matrix = confusionMatrix(model, data.test)
                matrix.plot(normalized: true)
                matrix[6, 0]        // shirts taken for T-shirts
                ```
                """
        ) { type in
            installScores(type)
            type.method(
                "plot", parameters: [.labelled("normalized", type: "Bool", default: .bool(false))],
                returns: "Chart",
                doc: """
                    The matrix as an annotated heatmap; `normalized: true` shows each true \
                    class's share of predictions instead of counts.
                    """
            ) { matrix, arguments in
                let normalized = try arguments.bool(0)
                let heatmap = try Heatmap.confusionMatrix(
                    matrix.rows, classNames: matrix.classNames, normalized: normalized)
                return try arguments.wrap(
                    Chart.heatmap(
                        heatmap,
                        title: "Confusion matrix"
                            + " (accuracy \(DisplayTables.percentText(matrix.accuracy)))"))
            }
            type.description { $0.description }
            type.display { matrix in DisplayTables.confusion(matrix).displayBundle() }
            type.summary { "\($0.classCount) classes, \($0.total) examples" }
        }
        registry.function(
            "confusionMatrix", module: "NN",
            doc: """
                The confusion matrix of a model's predictions on a data set: \
                `confusionMatrix(model, data.test).plot()`.
                """,
            parameters: [
                .positional("model"), .positional("data", type: "Dataset"),
                .labelled("batchSize", type: "Int", default: .int(256)),
            ],
            returns: "ConfusionMatrix"
        ) { arguments in
            let session = arguments.session
            let set = try arguments.host(Dataset.self, 1)
            let batchSize = try arguments.int(2)
            let ticker = ProgressTicker(
                session: session, title: "Predicting", steps: set.count, batchSize: batchSize)
            let matrix = try ticker.run { check in
                try arguments.layer(0).confusionMatrix(
                    set, batchSize: batchSize, checkInterrupt: check)
            }
            return try arguments.wrap(matrix)
        }
    }

    private static func installScores(_ type: TypeBuilder<ConfusionMatrix>) {
        type.property("classNames", type: "[String]", doc: "The class names, in label order.") {
            .array($0.classNames.map(Value.string))
        }
        type.property("rows", type: "[[Int]]", doc: "The counts, one row per true class.") {
            .array($0.rows.map { .array($0.map(Value.int)) })
        }
        type.property("total", type: "Int", doc: "The number of examples counted.") {
            .int($0.total)
        }
        type.property("accuracy", type: "Double", doc: "The share of examples on the diagonal.") {
            .double($0.accuracy)
        }
        type.subscript(
            parameters: [
                .positional("actual", type: "Int"), .positional("predicted", type: "Int"),
            ],
            returns: "Int", doc: "How many examples of a true class were predicted as another.",
            get: { matrix, arguments in
                .int(matrix[actual: try arguments.int(0), predicted: try arguments.int(1)])
            })
        let scores: [(String, String, (ConfusionMatrix, Int) -> Double)] = [
            ("precision", "True positives over predicted positives", { $0.precision(ofClass: $1) }),
            ("recall", "True positives over actual positives", { $0.recall(ofClass: $1) }),
            ("f1", "The harmonic mean of precision and recall", { $0.f1(ofClass: $1) }),
        ]
        for (name, doc, score) in scores {
            type.method(
                name, parameters: [.labelled("ofClass", type: "Int")], returns: "Double",
                doc: "\(doc) for one class."
            ) { matrix, arguments in
                let index = try arguments.int(0)
                guard matrix.classNames.indices.contains(index) else {
                    throw CellError.invalidValue(
                        "class \(index) is out of range for \(matrix.classCount) classes")
                }
                return .double(score(matrix, index))
            }
        }
    }
}
