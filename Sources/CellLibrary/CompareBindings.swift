import Cell
import Compress
import Data
import Display
import NN
import Plot

/// `compare([dense, pruned, smaller], on: data.test)`: models side by side — parameters,
/// non-zeros, file size, accuracy, latency at batch 1 and 256 — as a table (text and HTML) and
/// a chart of each model relative to the first.
enum CompareBindings {
    static let module = "Compress"

    static func install(into registry: Registry) {
        let models = Param<Value>.positional(
            "models", as: Value.argumentKind.described(type: "[Layer]"))
        let data = Param<Dataset>.labelled("on")
        let names = Param<[String]?>.optional("names")
        let runs = Param<Int>.labelled("runs", default: 9)
        registry.function(
            "compare", module: module,
            doc: """
                Models side by side on a data set: parameters, non-zeros, file size on disk \
                (pruned models as CSR), accuracy, and forward-pass latency at batch 1 and 256 \
                (medians of `runs` passes in evaluation mode).

                ```swift
                compare([dense, pruned, smaller], on: data.test, names: ["dense", "90% pruned", "half units"])
                ```
                """,
            parameters: [models, data, names, runs], returns: "ModelComparison"
        ) { arguments in
            guard case .array(let elements) = try arguments[models] else {
                throw CellError.typeMismatch("compare needs an array of models, such as [a, b]")
            }
            let layers = try elements.map {
                try LayerValues.requireLayer($0, session: arguments.session, role: "each model")
            }
            let given = try arguments[names]
            if let given, given.count != layers.count {
                throw CellError.typeMismatch(
                    "names has \(given.count) entries for \(layers.count) models")
            }
            let labels = given ?? layers.enumerated().map { defaultName($0.offset, $0.element) }
            let comparison = try ModelComparison(
                Array(zip(labels, layers)).map { (name: $0.0, model: $0.1) },
                on: try arguments[data], runs: try arguments[runs])
            return try arguments.session.wrap(comparison)
        }
        registry.type(
            ModelComparison.self, name: "ModelComparison", kind: .value, module: module,
            doc: "Models side by side (from `compare`): a table, `rows` and `plot()`."
        ) { type in
            type.property(
                "rows", type: "[[String: Any]]",
                doc: "One dictionary per model: name, parameters, nonZeros, fileBytes, "
                    + "the metrics, latency1 and latency256 (seconds)."
            ) { comparison in
                .array(comparison.rows.map { rowValue($0, comparison.largeBatch) })
            }
            let title = Param<String?>.optional("title")
            type.method(
                "plot", parameters: [title], returns: "Chart",
                doc: "Each model's size, non-zeros and latencies relative to the first model."
            ) { comparison, arguments in
                try arguments.wrap(try chart(comparison, title: try arguments[title]))
            }
            type.description { table($0).text(style: .plain) }
            type.display { comparison in
                var bundle = MimeBundle(plainText: table(comparison).text(style: .plain))
                var html = table(comparison).html()
                if let chart = try? chart(comparison, title: nil) { html += chart.svg() }
                bundle[.html] = html
                return bundle
            }
        }
    }

    /// "1: Sequential", with the sparsity when pruned.
    private static func defaultName(_ index: Int, _ layer: any Layer) -> String {
        let sparsity = layer.sparsity
        let suffix = sparsity > 0 ? String(format: " (%.0f%% sparse)", Double(sparsity) * 100) : ""
        return "\(index + 1): \(layer.typeName)\(suffix)"
    }

    /// The comparison as a table.
    static func table(_ comparison: ModelComparison) -> Table {
        let metricNames = Array(
            Set(comparison.rows.flatMap(\.metrics.keys)).filter { $0 != "loss" }.sorted())
        let rows = comparison.rows.map { row -> [TableCell] in
            [
                .text(row.name), .integer(row.parameterCount), .integer(row.nonZeroCount),
                .number(Double(row.fileBytes)),
            ] + metricNames.map { name in row.metrics[name].map(TableCell.number) ?? .empty }
                + [.number(row.latencyBatch1), .number(row.latencyLargeBatch)]
        }
        let metricColumns = metricNames.map { name in
            TableColumn(name, format: name == "accuracy" ? .percent(2) : .fixed(4))
        }
        return Table(
            columns: [
                "model", TableColumn("parameters", format: .grouped), "non-zeros",
                TableColumn("file", format: .bytes),
            ] + metricColumns + [
                TableColumn("latency, batch 1", format: .duration),
                TableColumn("latency, batch \(comparison.largeBatch)", format: .duration),
            ],
            rows: rows,
            caption: "Medians of \(comparison.runs) forward passes in evaluation mode; files as "
                + "saved (pruned weights as CSR).")
    }

    /// Bars of each model's file size, non-zeros and latencies as multiples of the first's.
    static func chart(_ comparison: ModelComparison, title: String?) throws -> Chart {
        guard let first = comparison.rows.first else {
            return try Chart.bar(categories: [], series: [], title: title)
        }
        func relative(_ value: (ComparisonRow) -> Double) -> [Double] {
            comparison.rows.map { row in value(first) > 0 ? value(row) / value(first) : 0 }
        }
        return try Chart.bar(
            categories: comparison.rows.map(\.name),
            series: [
                BarSeries(name: "file size", values: relative { Double($0.fileBytes) }),
                BarSeries(name: "non-zeros", values: relative { Double($0.nonZeroCount) }),
                BarSeries(name: "latency, batch 1", values: relative(\.latencyBatch1)),
                BarSeries(
                    name: "latency, batch \(comparison.largeBatch)",
                    values: relative(\.latencyLargeBatch)),
            ],
            title: title ?? "Relative to \(first.name) (lower is better)")
    }

    private static func rowValue(_ row: ComparisonRow, _ largeBatch: Int) -> Value {
        var dictionary = DictionaryValue()
        dictionary[.string("name")] = .string(row.name)
        dictionary[.string("parameters")] = .int(row.parameterCount)
        dictionary[.string("nonZeros")] = .int(row.nonZeroCount)
        dictionary[.string("fileBytes")] = .int(row.fileBytes)
        for name in row.metrics.keys.sorted() {
            if let value = row.metrics[name] { dictionary[.string(name)] = .double(value) }
        }
        dictionary[.string("latency1")] = .double(row.latencyBatch1)
        dictionary[.string("latency\(largeBatch)")] = .double(row.latencyLargeBatch)
        return .dictionary(dictionary)
    }
}
