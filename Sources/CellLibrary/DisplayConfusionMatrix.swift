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
            let normalized = Param<Bool>.labelled("normalized", default: false)
            type.method(
                "plot", parameters: [normalized],
                returns: "Chart",
                doc: """
                    The matrix as an annotated heatmap; `normalized: true` shows each true \
                    class's share of predictions instead of counts.
                    """
            ) { matrix, arguments in
                let normalized = try arguments[normalized]
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
        let model = Param<any Layer>.positional("model", as: .layer)
        let data = Param<Dataset>.positional("data")
        let batchSize = Param<Int>.labelled("batchSize", default: 256)
        registry.function(
            "confusionMatrix", module: "NN",
            doc: """
                The confusion matrix of a model's predictions on a data set: \
                `confusionMatrix(model, data.test).plot()`.
                """,
            parameters: [model, data, batchSize], returns: "ConfusionMatrix"
        ) { arguments in
            let session = arguments.session
            let set = try arguments[data]
            let batchSize = try arguments[batchSize]
            let ticker = ProgressTicker(
                session: session, title: "Predicting", steps: set.count, batchSize: batchSize)
            let matrix = try ticker.run { check in
                try arguments[model].confusionMatrix(
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
        let actual = Param<Int>.positional("actual")
        let predicted = Param<Int>.positional("predicted")
        type.subscript(
            parameters: [actual, predicted],
            returns: "Int", doc: "How many examples of a true class were predicted as another.",
            get: { matrix, arguments in
                .int(matrix[actual: try arguments[actual], predicted: try arguments[predicted]])
            })
        let scores: [(String, String, (ConfusionMatrix, Int) -> Double)] = [
            ("precision", "True positives over predicted positives", { $0.precision(ofClass: $1) }),
            ("recall", "True positives over actual positives", { $0.recall(ofClass: $1) }),
            ("f1", "The harmonic mean of precision and recall", { $0.f1(ofClass: $1) }),
        ]
        let ofClass = Param<Int>.labelled("ofClass")
        for (name, doc, score) in scores {
            type.method(
                name, parameters: [ofClass], returns: "Double", doc: "\(doc) for one class."
            ) { matrix, arguments in
                let index = try arguments[ofClass]
                guard matrix.classNames.indices.contains(index) else {
                    throw CellError.invalidValue(
                        "class \(index) is out of range for \(matrix.classCount) classes")
                }
                return .double(score(matrix, index))
            }
        }
    }
}
