import Cell
import Data
import NN
import Plot
import Tensor

/// Ready-made image views, shown at once: `show(images)` / `show(data.train.prefix(16))` (a
/// grid captioned with class names) and `showPredictions(model, data)` (predicted classes,
/// mistakes in red with the true class).
enum PlotViews {
    static let module = "Plot"

    static func install(into registry: Registry) {
        let show = ShowParameters()
        let predictions = PredictionParameters()
        registry.function(
            "show", module: module,
            doc: """
                Shows images now, as a grid: a data set's first examples captioned with their \
                classes (`show(data.train.prefix(16))`), a tensor of images \
                ([N, C, H, W], [N, H, W], [C, H, W] or [H, W]) with optional `labels:`, or \
                any other value as `display` would.
                """,
            parameters: show.all
        ) { arguments in
            let session = arguments.session
            guard let grid = try grid(arguments, show) else {
                session.display(session.bundle(for: try arguments[show.value]))
                return .void
            }
            let chart = Chart.images(grid, title: try arguments[show.title])
            session.display(chart.mimeBundle(textWidth: ChartBindings.textWidth))
            return .void
        }
        registry.function(
            "showPredictions", module: module,
            doc: """
                Shows the model's predicted classes on a data set's first images, mistakes \
                in red with the true class: `showPredictions(model, data.test)`; \
                `mistakes: true` shows only misclassified examples.
                """,
            parameters: predictions.all
        ) { arguments in
            let grid = try predictionGrid(arguments, predictions)
            guard !grid.images.isEmpty else {
                arguments.session.write("No misclassified examples in the data set.\n")
                return .void
            }
            let onlyMistakes = try arguments[predictions.mistakes]
            let title =
                try arguments[predictions.title]
                ?? (onlyMistakes ? "Misclassified examples" : "Predictions")
            let chart = Chart.images(grid, title: title)
            arguments.session.display(chart.mimeBundle(textWidth: ChartBindings.textWidth))
            return .void
        }
    }

    /// `show`'s parameters.
    private struct ShowParameters {
        let value = Param<Value>.positional("value")
        let count = Param<Int?>.optional("count")
        let columns = Param<Int?>.optional("columns")
        let title = Param<String?>.optional("title")
        let labels = Param<Value?>.optional("labels")
        let classNames = Param<[String]?>.optional("classNames")

        var all: [any ParameterDeclaration] { [value, count, columns, title, labels, classNames] }
    }

    /// `showPredictions`'s parameters.
    private struct PredictionParameters {
        let model = Param<any Layer>.positional("model", as: .layer)
        let data = Param<Dataset>.positional("data")
        let count = Param<Int>.labelled("count", default: 16)
        let mistakes = Param<Bool>.labelled("mistakes", default: false)
        let columns = Param<Int?>.optional("columns")
        let title = Param<String?>.optional("title")

        var all: [any ParameterDeclaration] { [model, data, count, mistakes, columns, title] }
    }

    /// The grid `show` draws, or nil when the value is not images.
    private static func grid(_ arguments: Arguments, _ p: ShowParameters) throws -> ImageGrid? {
        let count = try arguments[p.count]
        let columns = try arguments[p.columns]
        var classNames = try arguments[p.classNames]
        var images: [ImagePixels]
        var labels: [String]?
        let value = try arguments[p.value]
        switch value {
        case .host(let object) where object.payload is Dataset:
            guard let set = object.payload as? Dataset, [2, 3].contains(set.elementShape.count)
            else { return nil }
            let examples = try PlotImages.examples(of: set, count: count ?? 32)
            images = examples.images
            classNames = classNames ?? set.classNames
            labels = examples.labels.map { $0.map { name(of: $0, in: classNames ?? []) } }
        case .host where PlotData.tensor(of: value) != nil:
            images = try PlotImages.images(
                from: PlotData.tensor(of: value) ?? TensorConversion.tensor(from: value),
                limit: count ?? PlotImages.maximumCount)
        case .array(let elements) where !elements.isEmpty:
            images = []
            for element in elements.prefix(count ?? PlotImages.maximumCount) {
                images += try PlotImages.images(
                    from: try TensorConversion.tensor(from: element), limit: 1)
            }
        default:
            return nil
        }
        if let given = try arguments[p.labels] {
            labels = try PlotData.labels(given, classNames: classNames ?? [])
        }
        let items = images.enumerated().map { index, pixels in
            GridImage(
                pixels: pixels, caption: labels.flatMap { index < $0.count ? $0[index] : nil })
        }
        return ImageGrid(images: items, columns: columns ?? defaultColumns(for: items))
    }

    /// Eight images a row, fewer when captions are long ("Pullover (true Shirt)"), so that
    /// captions fit under their image instead of being cut.
    static func defaultColumns(for items: [GridImage]) -> Int {
        let longest = items.map { $0.caption?.count ?? 0 }.max() ?? 0
        let columns = longest > 16 ? 4 : longest > 11 ? 6 : 8
        return max(min(items.count, columns), 1)
    }

    private static func name(of label: Int, in classNames: [String]) -> String {
        classNames.indices.contains(label) ? classNames[label] : String(label)
    }

    /// Predictions on the first examples, or the first mistakes found in the set.
    private static func predictionGrid(_ arguments: Arguments, _ p: PredictionParameters) throws
        -> ImageGrid
    {
        let session = arguments.session
        let model = try arguments[p.model]
        let set = try arguments[p.data]
        guard set.isClassification else {
            throw CellError.invalidValue(
                "showPredictions needs a classification data set; \(set.name) is a regression set")
        }
        let wanted = min(max(try arguments[p.count], 1), PlotImages.maximumCount)
        let onlyMistakes = try arguments[p.mistakes]
        var chosen: [(index: Int, predicted: Int, actual: Int)] = []
        var start = 0
        let chunk = onlyMistakes ? 1_024 : wanted
        while chosen.count < wanted, start < set.count {
            let indices = Array(start..<min(start + chunk, set.count))
            let part = try set.subset(indices)
            let logits = try model.predict(
                part, checkInterrupt: { try session.checkInterrupt() })
            let predicted = try logits.argmax(alongAxis: 1).scalars.map { Int($0) }
            let actual = part.labels.map { Int($0) }
            for (offset, index) in indices.enumerated() where offset < predicted.count {
                let wrong = predicted[offset] != actual[offset]
                if (!onlyMistakes || wrong) && chosen.count < wanted {
                    chosen.append((index, predicted[offset], actual[offset]))
                }
            }
            start += chunk
        }
        let examples = try PlotImages.images(
            from: try set.unnormalized().batch(chosen.map(\.index)).x, limit: chosen.count)
        let names = set.classNames
        let items = zip(examples, chosen).map { pixels, item -> GridImage in
            let guess = name(of: item.predicted, in: names)
            let wrong = item.predicted != item.actual
            return GridImage(
                pixels: pixels,
                caption: wrong ? "\(guess) (true \(name(of: item.actual, in: names)))" : guess,
                isHighlighted: wrong)
        }
        let columns = try arguments[p.columns]
        return ImageGrid(images: items, columns: columns ?? defaultColumns(for: items))
    }
}
