import Cell
import Data
import KernelInterface
import NN
import Plot

/// The display bundles of library values: text/plain for terminals and text/html tables that
/// take the front end's own style, for models (their summary), model summaries, histories,
/// data sets and dictionaries of metrics (`model.evaluate(data.test)`).
enum DisplayBundles {
    static func install(into registry: Registry) {
        registry.type(
            ModelSummary.self, name: "ModelSummary", kind: .value, module: "NN", doc: ""
        ) { type in
            type.display { summaryBundle($0, title: nil) }
        }
        for info in registry.types.values where info.conformances.contains("Layer") {
            info.display = { value in
                value.hostPayload(as: (any Layer).self).flatMap(modelBundle)
            }
        }
        registry.type(History.self, name: "History", kind: .reference, module: "NN", doc: "") {
            type in
            type.display { DisplayTables.history($0).displayBundle() }
        }
        registry.type(Dataset.self, name: "Dataset", kind: .reference, module: "Data", doc: "") {
            type in
            type.display { set in
                var bundle = MimeBundle(plainText: set.description)
                bundle[.html] =
                    set.isClassification
                    ? DisplayTables.classes(of: set).html()
                    : "<pre>\(MarkupText.escaped(set.description))</pre>"
                return bundle
            }
        }
        let dictionary = registry.builtinType("Dictionary", doc: "") { _ in }
        dictionary.display = { value in
            guard case .dictionary(let entries) = value else { return nil }
            return metricsBundle(entries)
        }
    }

    /// A model (a layer holding other layers) shown as its summary; nil for a single layer,
    /// whose one-line description says more.
    static func modelBundle(_ layer: any Layer) -> MimeBundle? {
        guard layer is Sequential || layer.namedLayers().count > 1 else { return nil }
        let shape = LayerBindings.inferredInputShape(of: layer)
        guard let summary = (try? layer.summary(inputShape: shape)) ?? (try? layer.summary())
        else { return nil }
        return summaryBundle(summary, title: layer.typeName)
    }

    /// A summary as the library's own text (which cells and tests read) and an HTML table.
    static func summaryBundle(_ summary: ModelSummary, title: String?) -> MimeBundle {
        var table = DisplayTables.summary(summary)
        table.title = title
        var bundle = MimeBundle(plainText: summary.description)
        bundle[.html] = table.html()
        return bundle
    }

    /// The most entries a dictionary may have to be shown as a table of metrics.
    static let maximumMetricRows = 64

    /// A dictionary of names to numbers (at least one a Double) as two aligned columns; nil
    /// for other dictionaries.
    static func metricsBundle(_ dictionary: DictionaryValue) -> MimeBundle? {
        guard (1...maximumMetricRows).contains(dictionary.count) else { return nil }
        var pairs: [(name: String, value: Double)] = []
        var hasFraction = false
        for (key, value) in zip(dictionary.keys, dictionary.values) {
            guard case .string(let name) = key, let number = value.numberValue else { return nil }
            if case .double = value { hasFraction = true }
            pairs.append((name, number))
        }
        return hasFraction ? DisplayTables.metrics(pairs).displayBundle() : nil
    }
}

extension Table {
    /// The table as text/plain (columns aligned with spaces, header underlined) and text/html.
    func displayBundle() -> MimeBundle {
        var bundle = MimeBundle(plainText: text(style: .plain))
        bundle[.html] = html()
        return bundle
    }
}
