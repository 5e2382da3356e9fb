import Cell
import NN
import Tensor

/// Gradients of a loss with respect to a whole model: `valueWithGradient(of: model) { m in … }`
/// returns `(loss, grads)`; `Gradients` is what `opt.update(model, along: grads)` takes, with
/// clipping and accumulation.
enum GradientBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        let differentiation = DifferentiationParameters()
        registry.function(
            "valueWithGradient", module: module,
            doc: """
                The loss a closure computes from the model, and its gradients with respect to \
                every trainable parameter, as `(loss, grads)`.

                ```swift
                let (loss, grads) = valueWithGradient(of: model) { m in
                    softmaxCrossEntropy(m(x), y) + 1e-4 * l2(m)
                }
                opt.update(model, along: grads)
                ```
                """,
            parameters: [differentiation.model, differentiation.loss],
            returns: "(value: Tensor, gradients: Gradients)"
        ) { arguments in
            let (value, gradients) = try differentiate(arguments, differentiation)
            return .tuple(
                TupleValue(
                    [try arguments.wrap(tensor: value), try arguments.session.wrap(gradients)],
                    labels: ["value", "gradients"]))
        }
        registry.function(
            "gradient", module: module,
            doc: """
                The gradients of a loss with respect to every trainable parameter of a model: \
                `let grads = gradient(of: model) { m in meanSquaredError(m(x), y) }`.
                """,
            parameters: [differentiation.model, differentiation.loss],
            returns: "Gradients"
        ) { arguments in
            try arguments.session.wrap(try differentiate(arguments, differentiation).1)
        }
        installGradients(into: registry)
    }

    /// The model and the loss closure of `valueWithGradient(of:)` and `gradient(of:)`.
    private struct DifferentiationParameters {
        let model = Param<Value>.labelled("of")
        let loss = Param<Value>.positional(
            "loss", as: Value.argumentKind.described(type: "(Layer) -> Tensor"))
        /// The same `of:` argument read as a layer.
        let layer = Param<any Layer>.labelled("of", as: .layer)
    }

    /// Runs the loss closure on the tape with the model's trainable parameters as leaves.
    private static func differentiate(_ arguments: Arguments, _ p: DifferentiationParameters)
        throws -> (Tensor, Gradients)
    {
        let model = try arguments[p.layer]
        let modelValue = try arguments[p.model]
        return try valueWithGradient(of: model) { _ in
            let value = try arguments.call(p.loss, with: [modelValue])
            do {
                return try TensorConversion.float(TensorConversion.tensor(from: value))
            } catch {
                throw CellError.typeMismatch(
                    "the loss closure must return a Tensor, not \(value.typeName)")
            }
        }
    }

    private static func installGradients(into registry: Registry) {
        registry.type(
            Gradients.self, name: "Gradients", kind: .value, module: module,
            doc: """
                The gradients of a loss with respect to a model's parameters, by dotted name: \
                `grads["1.weight"]`, `grads.globalNorm()`, `grads.clipped(byGlobalNorm: 1)`.
                """
        ) { type in
            let name = Param<String>.positional("name")
            type.subscript(
                parameters: [name], returns: "Tensor?",
                doc: "The gradient of the parameter with this dotted name, or nil.",
                get: { gradients, arguments in
                    try gradients[try arguments[name]].map { try arguments.wrap(tensor: $0) }
                        ?? .nilValue
                })
            type.property("names", type: "[String]", doc: "The parameter names, in order.") {
                .array($0.names.map(Value.string))
            }
            type.property("count", type: "Int", doc: "The number of parameters with a gradient.") {
                .int($0.count)
            }
            type.method(
                "globalNorm", returns: "Double",
                doc: "The Euclidean norm of all the gradients together."
            ) { gradients, _ in .float32(try gradients.globalNorm()) }
            let globalNorm = Param<Float>.labelled("byGlobalNorm")
            type.method(
                "clipped", parameters: [globalNorm],
                returns: "Gradients",
                doc:
                    "The gradients scaled so their global norm is at most the value (Pascanu et al., 2013)."
            ) { gradients, arguments in
                var copy = gradients
                try copy.clip(byGlobalNorm: try arguments[globalNorm])
                return try arguments.session.wrap(copy)
            }
            let limit = Param<Float>.labelled("byValue")
            type.method(
                "clipped", parameters: [limit], returns: "Gradients",
                doc: "The gradients with every element clamped into [−value, value]."
            ) { gradients, arguments in
                var copy = gradients
                try copy.clip(byValue: try arguments[limit])
                return try arguments.session.wrap(copy)
            }
            let factor = Param<Float>.labelled("by")
            type.method(
                "scaled", parameters: [factor], returns: "Gradients",
                doc: "Every gradient times a factor (to average accumulated gradients)."
            ) { gradients, arguments in
                var copy = gradients
                try copy.scale(by: try arguments[factor])
                return try arguments.session.wrap(copy)
            }
            let other = Param<Gradients>.positional("other")
            type.mutatingMethod(
                "accumulate", parameters: [other],
                doc:
                    "Adds other gradients in place (gradient accumulation): `total.accumulate(grads)`."
            ) { gradients, arguments in
                try gradients.accumulate(try arguments[other])
                return .void
            }
            type.description { gradients in
                "Gradients(\(gradients.count) parameters: "
                    + gradients.names.prefix(8).joined(separator: ", ")
                    + (gradients.count > 8 ? ", …" : "") + ")"
            }
        }
    }
}
