import Cell
import KernelInterface
import Plot

/// `Chart` as a cell value: shown as SVG, a 2x PNG and a Unicode rendering for terminals;
/// titled, resized, put side by side (`Chart.panels`) and saved (`savefig`, `chart.save`).
enum ChartBindings {
    static let module = "Plot"

    static func install(into registry: Registry) {
        registry.type(
            Chart.self, name: "Chart", kind: .value, module: module,
            doc: """
                A chart made by `plot`, `scatter`, `bar`, `histogram`, `heatmap`, `show`, \
                `history.plot()` or `confusionMatrix(…).plot()`: shown as SVG and PNG in \
                notebooks and drawn with Unicode characters in terminals.

                ```swift
                var chart = plot(history["loss"], title: "Loss")
                chart.width = 800
                savefig(chart, "loss.png")
                ```
                """
        ) { type in
            installProperties(type)
            let path = Param<String>.positional("path")
            type.method(
                "save", parameters: [path],
                doc: "Writes the chart to a .svg or .png file (by extension), atomically."
            ) { chart, arguments in
                try chart.write(to: try arguments[path])
                return .void
            }
            type.method(
                "svg", returns: "String", doc: "The chart as an SVG document."
            ) { chart, _ in .string(chart.svg()) }
            let width = Param<Int>.labelled("width", default: 80)
            type.method(
                "text", parameters: [width], returns: "String",
                doc: "The chart drawn with Unicode characters, `width` columns."
            ) { chart, arguments in .string(chart.text(width: try arguments[width])) }
            let charts = Param<[Value]>.positional(
                "charts", as: [Value].argumentKind.described(type: "[Chart]"))
            let columns = Param<Int>.labelled("columns", default: 2)
            let title = Param<String?>.optional("title")
            type.staticMethod(
                "panels", parameters: [charts, columns, title],
                doc: "Charts side by side, `columns` per row: `Chart.panels([loss, accuracy])`."
            ) { arguments in
                let charts = try arguments[charts].map { try chart(from: $0) }
                return try arguments.wrap(
                    Chart.panels(
                        charts, columns: try arguments[columns], title: try arguments[title]))
            }
            type.description { $0.summary }
            type.display { $0.mimeBundle(textWidth: textWidth) }
            type.summary { "\(Int($0.width))×\(Int($0.height))" }
        }
        let figure = Param<Value>.positional(
            "chart", as: Value.argumentKind.described(type: "Chart"))
        let path = Param<String>.positional("path")
        registry.function(
            "savefig", module: module,
            doc: """
                Saves a chart as SVG or PNG, chosen by the file's extension: \
                `savefig(history.plot(), "loss.svg")`. The file is written atomically.
                """,
            parameters: [figure, path]
        ) { arguments in
            try chart(from: arguments[figure]).write(to: try arguments[path])
            return .void
        }
    }

    /// Columns of the text rendering in a display bundle (what terminals print).
    static let textWidth = 80

    private static func installProperties(_ type: TypeBuilder<Chart>) {
        type.property(
            "title", type: "String?", doc: "The title drawn above the chart.",
            get: { chart in chart.title.map(Value.string) ?? .nilValue },
            set: { chart, value in
                chart.title = value.isNil ? nil : value.stringText
            })
        type.property(
            "width", type: "Double", doc: "The width in CSS pixels (the PNG has twice as many).",
            get: { .double($0.width) },
            set: { chart, value in chart.width = try size(value, "width") })
        type.property(
            "height", type: "Double", doc: "The height in CSS pixels.",
            get: { .double($0.height) },
            set: { chart, value in chart.height = try size(value, "height") })
    }

    private static func size(_ value: Value, _ name: String) throws -> Double {
        guard let number = value.numberValue, number.isFinite else {
            throw CellError.typeMismatch("the chart's \(name) must be a number of CSS pixels")
        }
        return min(max(number, Chart.minimumSide), Chart.maximumSide)
    }

    /// The chart a value holds.
    ///
    /// - Throws: `CellError.typeMismatch` for anything but a chart.
    static func chart(from value: Value) throws -> Chart {
        guard let chart = value.hostPayload(as: Chart.self) else {
            throw CellError.typeMismatch(
                "expected a Chart (from plot, scatter, bar, histogram, show, …), not "
                    + value.typeName)
        }
        return chart
    }
}
