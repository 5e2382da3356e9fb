import Plot
import Tensor

/// Charts of a user's own data: `plot`, `scatter`, `bar`, `histogram` and `heatmap`, from
/// arrays, ranges, tensors or dictionaries of series, with titles, axis labels, log scales and
/// limits. Each returns a `Chart`, shown when it is a cell's result or passed to `display`.
enum PlotBindings {
    static let module = "Plot"

    static func install(into registry: Registry) {
        registry.type(
            AxisScale.self, name: "AxisScale", kind: .value, module: module,
            doc: "How an axis maps values: `.linear` or `.log` (base 10)."
        ) { type in
            for scale in AxisScale.allCases {
                type.staticProperty(scale.rawValue, doc: "A \(scale.rawValue) axis.") {
                    [unowned info = type.info] in info.wrap(scale)
                }
            }
            type.description { $0.rawValue }
        }
        installPlot(into: registry)
        installScatter(into: registry)
        installBar(into: registry)
        installHistogram(into: registry)
        installHeatmap(into: registry)
    }

    /// Title and axes, shared by `plot` and `scatter`; read back by `axes(_:from:)`.
    private static var axisParameters: [Parameter] {
        [
            .labelled("title", type: "String?", default: .nilValue),
            .labelled("xLabel", type: "String?", default: .nilValue),
            .labelled("yLabel", type: "String?", default: .nilValue),
            .labelled("xScale", type: "AxisScale?", default: .nilValue),
            .labelled("yScale", type: "AxisScale?", default: .nilValue),
            .labelled("xLimits", default: .nilValue),
            .labelled("yLimits", default: .nilValue),
        ]
    }

    /// The title and both axes, from the `axisParameters` starting at `first`.
    private static func axes(_ arguments: Arguments, from first: Int) throws -> (
        title: String?, x: Axis, y: Axis
    ) {
        (
            PlotData.text(arguments[first]),
            try PlotData.axis(
                label: arguments[first + 1], scale: arguments[first + 3],
                limits: arguments[first + 5]),
            try PlotData.axis(
                label: arguments[first + 2], scale: arguments[first + 4],
                limits: arguments[first + 6])
        )
    }

    /// Series names from `labels:` (one per series), else from the data (dictionary keys).
    private static func names(_ labels: Value, count: Int, given: [String?]) throws -> [String?] {
        guard !labels.isNil else { return given }
        let names = labels.isString ? [labels.stringText] : try PlotData.labels(labels)
        guard names.count == count else {
            throw CellError.invalidValue(
                "\(names.count) label\(names.count == 1 ? "" : "s") for \(count) series")
        }
        return names
    }

    private static func installPlot(into registry: Registry) {
        registry.function(
            "plot", module: module,
            doc: """
                A line chart of one or more series: `plot(losses)`, `plot(epochs, accuracy)`, \
                `plot([sgd, adam], labels: ["SGD", "Adam"], yScale: .log)`, \
                `plot(["train": a, "test": b], title: "Loss", xLabel: "epoch")`. Series are \
                arrays, ranges or tensors (a matrix's columns are series); x defaults to \
                0, 1, 2, …, or to 1, 2, 3, … with `xLabel: "epoch"`, as `history.plot()` counts.
                """,
            parameters: [
                .positional("x"), .positional("y", default: .nilValue),
                .labelled("labels", default: .nilValue),
                .labelled("markers", type: "Bool?", default: .nilValue),
            ] + axisParameters,
            returns: "Chart"
        ) { arguments in
            let hasX = !arguments[1].isNil
            let list = try PlotData.seriesList(arguments[hasX ? 1 : 0], role: "y")
            let x = hasX ? try PlotData.numbers(arguments[0], role: "x") : nil
            let names = try self.names(arguments[2], count: list.count, given: list.map(\.name))
            let markers = try arguments.optional(3).map { _ in try arguments.bool(3) }
            let (title, xAxis, yAxis) = try axes(arguments, from: 4)
            let series = try zip(names, list).map { name, item in
                let xs = x ?? defaultX(count: item.y.count, label: xAxis.label)
                guard xs.count == item.y.count else {
                    throw CellError.invalidValue(
                        "x has \(xs.count) points but a series has \(item.y.count)")
                }
                let marked = markers ?? (item.y.count <= 30)
                return LineSeries(name: name, x: xs, y: item.y, marker: marked ? .circle : nil)
            }
            return try arguments.wrap(Chart.line(series, title: title, x: xAxis, y: yAxis))
        }
    }

    /// x for a series given without: 0, 1, 2, … (as matplotlib), but 1, 2, 3, … on an axis
    /// labelled in epochs, which count from 1 as in `history.plot()` and fit's display.
    static func defaultX(count: Int, label: String?) -> [Double] {
        let countsEpochs = ["epoch", "epochs"].contains(label?.lowercased() ?? "")
        return (0..<count).map { Double($0 + (countsEpochs ? 1 : 0)) }
    }

    private static func installScatter(into registry: Registry) {
        registry.function(
            "scatter", module: module,
            doc: """
                Points: `scatter(x, y)`, `scatter(points)` for an [N, 2] tensor, \
                `scatter(data)` for a data set of 2-D examples, coloured by class; \
                `groups:` colours points by a label each.
                """,
            parameters: [
                .positional("x"), .positional("y", default: .nilValue),
                .labelled("groups", default: .nilValue),
                .labelled("classNames", type: "[String]?", default: .nilValue),
                .labelled("size", type: "Double", default: .double(3)),
            ] + axisParameters,
            returns: "Chart"
        ) { arguments in
            let points = try PlotPoints(arguments)
            let (title, xAxis, yAxis) = try axes(arguments, from: 5)
            let size = try arguments.double(4)
            let series = points.groups.map { group in
                ScatterSeries(name: group.name, x: group.x, y: group.y, size: size)
            }
            return try arguments.wrap(Chart.scatter(series, title: title, x: xAxis, y: yAxis))
        }
    }

    private static func installBar(into registry: Registry) {
        registry.function(
            "bar", module: module,
            doc: """
                Bars over categories: `bar(["SGD", "Adam"], [0.84, 0.88])`, \
                `bar(["dense": 0.88, "pruned": 0.87])`, or several series side by side: \
                `bar(names, [accuracies, f1s], labels: ["accuracy", "F1"])`.
                """,
            parameters: [
                .positional("categories"), .positional("values", default: .nilValue),
                .labelled("labels", default: .nilValue),
                .labelled("title", type: "String?", default: .nilValue),
                .labelled("xLabel", type: "String?", default: .nilValue),
                .labelled("yLabel", type: "String?", default: .nilValue),
                .labelled("yScale", type: "AxisScale?", default: .nilValue),
                .labelled("yLimits", default: .nilValue),
            ],
            returns: "Chart"
        ) { arguments in
            let categories: [String]
            let list: [(name: String?, y: [Double])]
            if case .dictionary(let dictionary) = arguments[0], arguments[1].isNil {
                categories = dictionary.keys.map(\.stringText)
                list = [
                    (
                        nil,
                        try dictionary.values.map { value in
                            guard let number = value.numberValue else {
                                throw CellError.typeMismatch(
                                    "bar values must be numbers; found a \(value.typeName)")
                            }
                            return number
                        }
                    )
                ]
            } else {
                categories = try PlotData.labels(arguments[0])
                list = try PlotData.seriesList(arguments[1], role: "values")
            }
            let names = try self.names(arguments[2], count: list.count, given: list.map(\.name))
            let axis = try PlotData.axis(
                label: arguments[5], scale: arguments[6], limits: arguments[7])
            let series = zip(names, list).map { BarSeries(name: $0, values: $1.y) }
            return try arguments.wrap(
                try Chart.bar(
                    categories: categories, series: series, title: PlotData.text(arguments[3]),
                    valueAxis: axis, categoryLabel: PlotData.text(arguments[4])))
        }
    }

    private static func installHistogram(into registry: Registry) {
        registry.function(
            "histogram", module: module,
            doc: """
                The distribution of values: `histogram(model[1].weight)`, \
                `histogram([before, after], labels: ["dense", "pruned"], bins: 50)`. Bins \
                default to NumPy's "auto" rule.
                """,
            parameters: [
                .positional("values"), .labelled("bins", type: "Int?", default: .nilValue),
                .labelled("labels", default: .nilValue),
                .labelled("title", type: "String?", default: .nilValue),
                .labelled("xLabel", type: "String?", default: .nilValue),
                .labelled("yScale", type: "AxisScale?", default: .nilValue),
            ],
            returns: "Chart"
        ) { arguments in
            let list = try histogramSeries(arguments[0])
            let names = try self.names(arguments[2], count: list.count, given: list.map(\.name))
            let binning = try arguments.optional(1).map { _ in
                HistogramBinning.count(try arguments.int(1))
            }
            let histograms = try zip(names, list).map { name, item in
                try Histogram(values: item.y, binning: binning ?? .automatic, name: name)
            }
            var yAxis = Axis(label: "count")
            yAxis.scale = try PlotData.scale(arguments[5])
            return try arguments.wrap(
                Chart.histogram(
                    histograms, title: PlotData.text(arguments[3]),
                    x: Axis(label: PlotData.text(arguments[4])), y: yAxis))
        }
    }

    /// The values of a histogram: every element of a tensor of any shape (weights), or one or
    /// more series.
    private static func histogramSeries(_ value: Value) throws -> [(name: String?, y: [Double])] {
        if let tensor = PlotData.tensor(of: value) {
            guard tensor.elementCount <= PlotData.maximumPoints * 10 else {
                throw CellError.invalidValue(
                    "a histogram of \(tensor.elementCount) values is too large; pass a sample")
            }
            return [(nil, tensor.scalars.map(Double.init))]
        }
        if case .array(let elements) = value,
            elements.contains(where: { PlotData.tensor(of: $0) != nil })
        {
            return try elements.flatMap(histogramSeries)
        }
        return try PlotData.seriesList(value, role: "values")
    }

    private static func installHeatmap(into registry: Registry) {
        registry.function(
            "heatmap", module: module,
            doc: """
                A matrix as coloured cells: `heatmap(weights)`, \
                `heatmap(matrix, rowLabels: names, columnLabels: names, annotate: true)`.
                """,
            parameters: [
                .positional("matrix"),
                .labelled("rowLabels", default: .nilValue),
                .labelled("columnLabels", default: .nilValue),
                .labelled("annotate", type: "Bool?", default: .nilValue),
                .labelled("title", type: "String?", default: .nilValue),
            ],
            returns: "Chart"
        ) { arguments in
            let tensor = try PlotData.tensor(of: arguments[0]) ?? arguments.floatTensor(0)
            guard tensor.rank == 2 else {
                throw CellError.invalidValue(
                    "heatmap needs a matrix (two axes), not the shape \(tensor.shape)")
            }
            let annotation: HeatmapAnnotation =
                try arguments.optional(3).map { _ in
                    try arguments.bool(3)
                        ? .format(.automatic)
                        : .hidden
                } ?? .automatic
            let heatmap = try Heatmap(
                values: tensor.scalars.map(Double.init), rowCount: tensor.shape[0],
                columnCount: tensor.shape[1],
                rowLabels: try arguments.optional(1).map { try PlotData.labels($0) } ?? [],
                columnLabels: try arguments.optional(2).map { try PlotData.labels($0) } ?? [],
                annotation: annotation)
            return try arguments.wrap(Chart.heatmap(heatmap, title: PlotData.text(arguments[4])))
        }
    }
}

extension Value {
    /// True for a string.
    var isString: Bool {
        if case .string = self { return true }
        return false
    }
}
