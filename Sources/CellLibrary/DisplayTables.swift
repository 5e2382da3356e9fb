import Cell
import Data
import NN
import Plot

/// The library's results as Plot `Table`s, which render as aligned text and as plain HTML
/// tables in the front end's own style: model summaries, histories, confusion matrices, data
/// sets and dictionaries of metrics.
enum DisplayTables {
    /// Layer, type, output shape, parameters and whether they train, with the totals below.
    static func summary(_ summary: ModelSummary) -> Table {
        let rows = summary.rows.map { row -> [TableCell] in
            let indent = String(repeating: "  ", count: row.depth)
            let type =
                row.configuration.isEmpty ? row.typeName : "\(row.typeName)(\(row.configuration))"
            return [
                .text(indent + row.name), .text(type),
                row.outputShape.map { .text("\($0)") } ?? .empty, .integer(row.parameterCount),
                row.trainableState == .none ? .empty : .text(trainableText(row.trainableState)),
            ]
                + (summary.isQuantized
                    ? [.integer(row.parameterBytes), .text(row.parameterTypes)] : [])
                + (summary.isPruned ? [row.sparsity.map { .number(Double($0)) } ?? .empty] : [])
        }
        return Table(
            columns: [
                "layer", "type", TableColumn("output shape", alignment: .right), "parameters",
                "trainable",
            ] + (summary.isQuantized ? ["bytes", "dtype"] : [])
                + (summary.isPruned ? [TableColumn("sparsity", format: .percent(1))] : []),
            rows: rows,
            caption: "\(count(summary.parameterCount)) parameters: "
                + "\(count(summary.trainableParameterCount)) trainable, "
                + "\(count(summary.frozenParameterCount)) frozen"
                + (summary.isQuantized
                    ? ", \(count(summary.fixedParameterCount)) fixed in int8 layers; "
                        + "\(count(summary.parameterBytes)) bytes" : ""))
    }

    private static func trainableText(_ state: ModelSummary.TrainableState) -> String {
        switch state {
        case .none: return ""
        case .trainable: return "yes"
        case .partlyFrozen: return "partly frozen"
        case .frozen: return "frozen"
        case .fixed: return "no (int8)"
        }
    }

    /// One row per epoch: its metrics, seconds and learning rate; the best epoch of the
    /// validation loss (else the loss) is highlighted.
    static func history(_ history: History) -> Table {
        let names = history.metricNames
        let rows = history.epochs.map { record -> [TableCell] in
            [.integer(record.epoch + 1)]
                + names.map { name in record.metrics[name].map(TableCell.number) ?? .empty }
                + [.number(record.seconds), .number(Double(record.learningRate))]
        }
        let monitored = names.contains("val_loss") ? "val_loss" : "loss"
        let best = history.best(monitored).flatMap { best in
            history.epochs.firstIndex { $0.epoch == best.epoch }
        }
        return Table(
            columns: ["epoch"] + names.map { TableColumn($0, format: .fixed(4)) }
                + [TableColumn("seconds", format: .fixed(2)), "learning rate"],
            rows: rows, caption: history.outcome.description,
            highlightedRow: history.count > 1 ? best : nil)
    }

    /// Actual classes down, predicted classes across, with each class's recall at the end.
    static func confusion(_ matrix: ConfusionMatrix) -> Table {
        let names = matrix.classNames
        let rows = matrix.rows.enumerated().map { index, counts -> [TableCell] in
            [.text(names[index])] + counts.map(TableCell.integer)
                + [.number(matrix.recall(ofClass: index))]
        }
        return Table(
            title: "Confusion matrix (rows: true class, columns: predicted)",
            columns: ["true \\ predicted"] + names.map { TableColumn($0) }
                + [TableColumn("recall", format: .percent(1))],
            rows: rows,
            caption: "accuracy \(percentText(matrix.accuracy)) over \(count(matrix.total)) "
                + "examples")
    }

    /// The examples of each class of a classification set, with their share.
    static func classes(of set: Dataset) -> Table {
        let total = max(set.count, 1)
        let rows = zip(set.classNames, set.classCounts).enumerated().map {
            index, pair -> [TableCell] in
            [
                .integer(index), .text(pair.0), .integer(pair.1),
                .number(Double(pair.1) / Double(total)),
            ]
        }
        return Table(
            title: set.description.split(separator: "\n").first.map(String.init),
            columns: ["label", "class", "examples", TableColumn("share", format: .percent(1))],
            rows: rows)
    }

    /// Names and values, one per row: what `evaluate` returns.
    static func metrics(_ pairs: [(name: String, value: Double)]) -> Table {
        Table(
            columns: ["metric", TableColumn("value", format: .fixed(4))],
            rows: pairs.map { [.text($0.name), .number($0.value)] })
    }

    /// "60,000".
    static func count(_ number: Int) -> String {
        NumberFormat.grouped.format(Double(number))
    }

    /// "88.1%".
    static func percentText(_ fraction: Double) -> String {
        NumberFormat.percent(1).format(fraction)
    }
}
