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
        registry.function(
            "show", module: module,
            doc: """
                Shows images now, as a grid: a data set's first examples captioned with their \
                classes (`show(data.train.prefix(16))`), a tensor of images \
                ([N, C, H, W], [N, H, W], [C, H, W] or [H, W]) with optional `labels:`, or \
                any other value as `display` would.
                """,
            parameters: [
                .positional("value"), .labelled("count", type: "Int?", default: .nilValue),
                .labelled("columns", type: "Int?", default: .nilValue),
                .labelled("title", type: "String?", default: .nilValue),
                .labelled("labels", default: .nilValue),
                .labelled("classNames", type: "[String]?", default: .nilValue),
            ]
        ) { arguments in
            let session = arguments.session
            guard let grid = try grid(arguments) else {
                session.display(session.bundle(for: arguments[0]))
                return .void
            }
            let chart = Chart.images(grid, title: PlotData.text(arguments[3]))
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
            parameters: [
                .positional("model"), .positional("data", type: "Dataset"),
                .labelled("count", type: "Int", default: .int(16)),
                .labelled("mistakes", type: "Bool", default: .bool(false)),
                .labelled("columns", type: "Int?", default: .nilValue),
                .labelled("title", type: "String?", default: .nilValue),
            ]
        ) { arguments in
            let grid = try predictionGrid(arguments)
            guard !grid.images.isEmpty else {
                arguments.session.write("No misclassified examples in the data set.\n")
                return .void
            }
            let onlyMistakes = try arguments.bool(3)
            let title =
                PlotData.text(arguments[5])
                ?? (onlyMistakes ? "Misclassified examples" : "Predictions")
            let chart = Chart.images(grid, title: title)
            arguments.session.display(chart.mimeBundle(textWidth: ChartBindings.textWidth))
            return .void
        }
    }

    /// The grid `show` draws, or nil when the value is not images.
    private static func grid(_ arguments: Arguments) throws -> ImageGrid? {
        let count = try arguments.optional(1).map { _ in try arguments.int(1) }
        let columns = try arguments.optional(2).map { _ in try arguments.int(2) }
        var classNames = try arguments.optional(5).map { _ in
            try arguments.array(5).map(\.stringText)
        }
        var images: [ImagePixels]
        var labels: [String]?
        switch arguments[0] {
        case .host(let object) where object.payload is Dataset:
            guard let set = object.payload as? Dataset, [2, 3].contains(set.elementShape.count)
            else { return nil }
            let examples = try PlotImages.examples(of: set, count: count ?? 32)
            images = examples.images
            classNames = classNames ?? set.classNames
            labels = examples.labels.map { $0.map { name(of: $0, in: classNames ?? []) } }
        case .host where PlotData.tensor(of: arguments[0]) != nil:
            images = try PlotImages.images(
                from: PlotData.tensor(of: arguments[0]) ?? arguments.tensor(0),
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
        if let given = arguments.optional(4) {
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
    private static func predictionGrid(_ arguments: Arguments) throws -> ImageGrid {
        let session = arguments.session
        let model = try arguments.layer(0)
        let set = try arguments.host(Dataset.self, 1)
        guard set.isClassification else {
            throw CellError.invalidValue(
                "showPredictions needs a classification data set; \(set.name) is a regression set")
        }
        let wanted = min(max(try arguments.int(2), 1), PlotImages.maximumCount)
        let onlyMistakes = try arguments.bool(3)
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
        let columns = try arguments.optional(4).map { _ in try arguments.int(4) }
        return ImageGrid(images: items, columns: columns ?? defaultColumns(for: items))
    }
}
