import Cell
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

    /// Title and axes, shared by `plot` and `scatter`.
    private struct AxisParameters {
        let title = Param<String?>.optional("title")
        let xLabel = Param<String?>.optional("xLabel")
        let yLabel = Param<String?>.optional("yLabel")
        let xScale = Param<Value>.labelled(
            "xScale", as: Value.argumentKind.described(type: "AxisScale?"), default: .nilValue)
        let yScale = Param<Value>.labelled(
            "yScale", as: Value.argumentKind.described(type: "AxisScale?"), default: .nilValue)
        let xLimits = Param<Value>.labelled("xLimits", default: .nilValue)
        let yLimits = Param<Value>.labelled("yLimits", default: .nilValue)

        var all: [any ParameterDeclaration] {
            [title, xLabel, yLabel, xScale, yScale, xLimits, yLimits]
        }

        /// The title and both axes.
        func read(_ arguments: Arguments) throws -> (title: String?, x: Axis, y: Axis) {
            (
                try arguments[title],
                try PlotData.axis(
                    label: arguments[xLabel].map(Value.string) ?? .nilValue,
                    scale: arguments[xScale], limits: arguments[xLimits]),
                try PlotData.axis(
                    label: arguments[yLabel].map(Value.string) ?? .nilValue,
                    scale: arguments[yScale], limits: arguments[yLimits])
            )
        }
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
        let x = Param<Value>.positional("x")
        let y = Param<Value>.positional("y", default: .nilValue)
        let labels = Param<Value>.labelled("labels", default: .nilValue)
        let markers = Param<Bool?>.optional("markers")
        let axes = AxisParameters()
        registry.function(
            "plot", module: module,
            doc: """
                A line chart of one or more series: `plot(losses)`, `plot(epochs, accuracy)`, \
                `plot([sgd, adam], labels: ["SGD", "Adam"], yScale: .log)`, \
                `plot(["train": a, "test": b], title: "Loss", xLabel: "epoch")`. Series are \
                arrays, ranges or tensors (a matrix's columns are series); x defaults to \
                0, 1, 2, …, or to 1, 2, 3, … with `xLabel: "epoch"`, as `history.plot()` counts.
                """,
            parameters: [x, y, labels, markers] + axes.all,
            returns: "Chart"
        ) { arguments in
            let (first, second) = (try arguments[x], try arguments[y])
            let hasX = !second.isNil
            let list = try PlotData.seriesList(hasX ? second : first, role: "y")
            let xs = hasX ? try PlotData.numbers(first, role: "x") : nil
            let names = try self.names(
                arguments[labels], count: list.count, given: list.map(\.name))
            let markers = try arguments[markers]
            let (title, xAxis, yAxis) = try axes.read(arguments)
            let series = try zip(names, list).map { name, item in
                let points = xs ?? defaultX(count: item.y.count, label: xAxis.label)
                guard points.count == item.y.count else {
                    throw CellError.invalidValue(
                        "x has \(points.count) points but a series has \(item.y.count)")
                }
                let marked = markers ?? (item.y.count <= 30)
                return LineSeries(name: name, x: points, y: item.y, marker: marked ? .circle : nil)
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
        let x = Param<Value>.positional("x")
        let y = Param<Value>.positional("y", default: .nilValue)
        let groups = Param<Value>.labelled("groups", default: .nilValue)
        let classNames = Param<[String]?>.optional("classNames")
        let size = Param<Double>.labelled("size", default: 3)
        let axes = AxisParameters()
        registry.function(
            "scatter", module: module,
            doc: """
                Points: `scatter(x, y)`, `scatter(points)` for an [N, 2] tensor, \
                `scatter(data)` for a data set of 2-D examples, coloured by class; \
                `groups:` colours points by a label each.
                """,
            parameters: [x, y, groups, classNames, size] + axes.all,
            returns: "Chart"
        ) { arguments in
            let points = try PlotPoints(
                x: arguments[x], y: arguments[y], groups: arguments[groups],
                classNames: arguments[classNames])
            let (title, xAxis, yAxis) = try axes.read(arguments)
            let size = try arguments[size]
            let series = points.groups.map { group in
                ScatterSeries(name: group.name, x: group.x, y: group.y, size: size)
            }
            return try arguments.wrap(Chart.scatter(series, title: title, x: xAxis, y: yAxis))
        }
    }

    private static func installBar(into registry: Registry) {
        let categories = Param<Value>.positional("categories")
        let values = Param<Value>.positional("values", default: .nilValue)
        let labels = Param<Value>.labelled("labels", default: .nilValue)
        let axes = AxisParameters()
        registry.function(
            "bar", module: module,
            doc: """
                Bars over categories: `bar(["SGD", "Adam"], [0.84, 0.88])`, \
                `bar(["dense": 0.88, "pruned": 0.87])`, or several series side by side: \
                `bar(names, [accuracies, f1s], labels: ["accuracy", "F1"])`.
                """,
            parameters: [
                categories, values, labels, axes.title, axes.xLabel, axes.yLabel, axes.yScale,
                axes.yLimits,
            ],
            returns: "Chart"
        ) { arguments in
            let names: [String]
            let list: [(name: String?, y: [Double])]
            let (given, values) = (try arguments[categories], try arguments[values])
            if case .dictionary(let dictionary) = given, values.isNil {
                names = dictionary.keys.map(\.stringText)
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
                names = try PlotData.labels(given)
                list = try PlotData.seriesList(values, role: "values")
            }
            let seriesNames = try self.names(
                arguments[labels], count: list.count, given: list.map(\.name))
            let axis = try PlotData.axis(
                label: arguments[axes.yLabel].map(Value.string) ?? .nilValue,
                scale: arguments[axes.yScale], limits: arguments[axes.yLimits])
            let series = zip(seriesNames, list).map { BarSeries(name: $0, values: $1.y) }
            return try arguments.wrap(
                try Chart.bar(
                    categories: names, series: series, title: arguments[axes.title],
                    valueAxis: axis, categoryLabel: arguments[axes.xLabel]))
        }
    }

    private static func installHistogram(into registry: Registry) {
        let values = Param<Value>.positional("values")
        let bins = Param<Int?>.optional("bins")
        let labels = Param<Value>.labelled("labels", default: .nilValue)
        let axes = AxisParameters()
        registry.function(
            "histogram", module: module,
            doc: """
                The distribution of values: `histogram(model[1].weight)`, \
                `histogram([before, after], labels: ["dense", "pruned"], bins: 50)`. Bins \
                default to NumPy's "auto" rule.
                """,
            parameters: [values, bins, labels, axes.title, axes.xLabel, axes.yScale],
            returns: "Chart"
        ) { arguments in
            let list = try histogramSeries(arguments[values])
            let names = try self.names(
                arguments[labels], count: list.count, given: list.map(\.name))
            let binning = try arguments[bins].map { HistogramBinning.count($0) }
            let histograms = try zip(names, list).map { name, item in
                try Histogram(values: item.y, binning: binning ?? .automatic, name: name)
            }
            var yAxis = Axis(label: "count")
            yAxis.scale = try PlotData.scale(arguments[axes.yScale])
            return try arguments.wrap(
                Chart.histogram(
                    histograms, title: arguments[axes.title],
                    x: Axis(label: arguments[axes.xLabel]), y: yAxis))
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
        let matrix = Param<Tensor>.positional("matrix", as: .plotMatrix)
        let rowLabels = Param<Value?>.optional("rowLabels")
        let columnLabels = Param<Value?>.optional("columnLabels")
        let annotate = Param<Bool?>.optional("annotate")
        let title = Param<String?>.optional("title")
        registry.function(
            "heatmap", module: module,
            doc: """
                A matrix as coloured cells: `heatmap(weights)`, \
                `heatmap(matrix, rowLabels: names, columnLabels: names, annotate: true)`.
                """,
            parameters: [matrix, rowLabels, columnLabels, annotate, title],
            returns: "Chart"
        ) { arguments in
            let tensor = try arguments[matrix]
            guard tensor.rank == 2 else {
                throw CellError.invalidValue(
                    "heatmap needs a matrix (two axes), not the shape \(tensor.shape)")
            }
            let annotation: HeatmapAnnotation =
                try arguments[annotate].map { $0 ? .format(.automatic) : .hidden } ?? .automatic
            let heatmap = try Heatmap(
                values: tensor.scalars.map(Double.init), rowCount: tensor.shape[0],
                columnCount: tensor.shape[1],
                rowLabels: try arguments[rowLabels].map { try PlotData.labels($0) } ?? [],
                columnLabels: try arguments[columnLabels].map { try PlotData.labels($0) } ?? [],
                annotation: annotation)
            return try arguments.wrap(Chart.heatmap(heatmap, title: arguments[title]))
        }
    }
}

extension ArgumentKind where T == Tensor {
    /// A tensor as charts read one: a tensor itself, or numbers and nested arrays.
    fileprivate static var plotMatrix: ArgumentKind {
        let tensor = ArgumentKind.floatTensor.read
        return ArgumentKind(type: nil, expected: "Tensor") { value, session in
            try PlotData.tensor(of: value) ?? tensor(value, session)
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
