import Cell
import NN
import Tensor

/// Metrics for `fit` and `evaluate`: `metrics: [.accuracy, .topKAccuracy(5), .f1]`, names
/// (`"accuracy"`, `"top_5_accuracy"`), or a closure `{ prediction, target in … }` returning a
/// number averaged over the examples.
enum MetricBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        registry.type(
            Metric.self, name: "Metric", kind: .value, module: module,
            doc: """
                A quantity measured besides the loss: `.accuracy`, `.topKAccuracy(5)`, \
                `.precision`, `.recall`, `.f1` (macro averages), `.meanAbsoluteError`, \
                `.meanSquaredError`.
                """
        ) { type in
            let info = type.info
            let simple: [(String, Metric, String)] = [
                ("accuracy", .accuracy, "The share of examples whose predicted class is right."),
                ("precision", .precision, "Macro-averaged precision."),
                ("recall", .recall, "Macro-averaged recall."),
                ("f1", .f1, "Macro-averaged F1."),
                ("meanAbsoluteError", .meanAbsoluteError, "The mean absolute error (regression)."),
                ("meanSquaredError", .meanSquaredError, "The mean squared error (regression)."),
            ]
            for (name, metric, doc) in simple {
                type.staticProperty(name, doc: doc) { [unowned info] in info.wrap(metric) }
            }
            let k = Param<Int>.positional("k")
            type.staticMethod(
                "topKAccuracy", parameters: [k],
                doc: "The share of examples whose class is among the k largest logits."
            ) { [unowned info] arguments in info.wrap(Metric.topKAccuracy(try arguments[k])) }
            type.property("name", type: "String", doc: "The name it is reported under.") {
                .string($0.name)
            }
            type.description { $0.name }
        }
    }

    /// The metrics a `metrics:` argument lists.
    static func metrics(from value: Value, session: Session) throws -> [Metric]? {
        if value.isNil { return nil }
        guard case .array(let elements) = value else {
            return [try metric(from: value, session: session)]
        }
        return try elements.map { try metric(from: $0, session: session) }
    }

    /// One metric: a `Metric`, an implicit member, a name or a closure.
    static func metric(from value: Value, session: Session) throws -> Metric {
        switch value {
        case .host(let object):
            if let metric = object.payload as? Metric { return metric }
        case .string(let name):
            if let metric = Metric(named: name) { return metric }
            throw CellError.invalidValue(
                "unknown metric \"\(name)\"; use accuracy, top_5_accuracy, precision, recall, f1, "
                    + "mae or mse")
        case .function(let implicit as ImplicitMember):
            let resolved: Value
            do throws(Failure) {
                resolved = try session.resolveImplicit(implicit, in: "Metric", site: nil)
            } catch {
                throw error.error
            }
            return try metric(from: resolved, session: session)
        case .function(let function):
            let callback = CellCallback(value, session: session)
            return .custom(name: function.name) { prediction, target in
                guard let session = callback.liveSession else {
                    throw CellError.invalidValue("the session that defined the metric has ended")
                }
                let result = try callback.call([
                    try session.wrap(prediction), try session.wrap(target),
                ])
                if let number = result.numberValue { return number }
                return try TensorConversion.scalar(of: TensorConversion.tensor(from: result))
            }
        default:
            break
        }
        throw CellError.typeMismatch(
            "a metric must be a Metric such as .accuracy, a name or a closure, not \(value.typeName)"
        )
    }
}
