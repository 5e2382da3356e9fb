import Cell
import NN
import Tensor

/// Regularization: penalties to add to a loss (`l2(model)`, `l1(model[0])`), regularizers
/// attached to layers (`Dense(…, regularizer: .l2(1e-4))`), the max-norm constraint
/// (`layer.weight.constraint = .maxNorm(3)`) and weight initialisers (`.heNormal`).
enum RegularizerBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        installRegularizer(into: registry)
        installPenalties(into: registry)
        installConstraint(into: registry)
        installInitializer(into: registry)
    }

    private static func installRegularizer(into registry: Registry) {
        registry.type(
            Regularizer.self, name: "Regularizer", kind: .value, module: module,
            doc: """
                A weight penalty attached to a layer and added to the loss by `fit` and \
                `regularizationLoss()`: `.l1(1e-5)`, `.l2(1e-4)` (weight decay; Krogh & Hertz, \
                1992) or `.l1l2(l1:l2:)`.
                """
        ) { type in
            let info = type.info
            let strength = Param<Float>.positional("strength")
            type.staticMethod(
                "l1", parameters: [strength], doc: "λ·Σ|w| (Tibshirani, 1996): `.l1(1e-5)`."
            ) { [unowned info] arguments in info.wrap(Regularizer.l1(try arguments[strength])) }
            type.staticMethod("l2", parameters: [strength], doc: "λ·Σw²: `.l2(1e-4)`.") {
                [unowned info] arguments in info.wrap(Regularizer.l2(try arguments[strength]))
            }
            let l1 = Param<Float>.labelled("l1")
            let l2 = Param<Float>.labelled("l2")
            type.staticMethod(
                "l1l2", parameters: [l1, l2], doc: "λ₁·Σ|w| + λ₂·Σw² (elastic net)."
            ) { [unowned info] arguments in
                info.wrap(Regularizer.l1l2(l1: try arguments[l1], l2: try arguments[l2]))
            }
            let weight = Param<Tensor>.positional("weight", as: .floatTensor)
            type.callAsFunction(
                parameters: [weight], returns: "Tensor", doc: "The penalty for a weight tensor."
            ) { regularizer, arguments in
                try arguments.wrap(tensor: regularizer.penalty(try arguments[weight]))
            }
            type.description { $0.name }
        }
    }

    private static func installPenalties(into registry: Registry) {
        let penalties: [(String, String, (any Layer) throws -> Tensor, (Tensor) throws -> Tensor)] =
            [
                (
                    "l2",
                    """
                    Σw² over the trainable weights of a model or layer (biases excluded), \
                    differentiable, to add to a loss: `softmaxCrossEntropy(m(x), y) + 1e-4 * l2(m)`. \
                    Of a tensor: the sum of its squares.
                    """,
                    { try l2($0) }, { try $0.squared().sum() }
                ),
                (
                    "l1",
                    """
                    Σ|w| over the trainable weights of a model or layer (biases excluded), \
                    differentiable: `loss + 1e-5 * l1(model)`. Of a tensor: the sum of its absolute \
                    values.
                    """,
                    { try l1($0) }, { try $0.abs().sum() }
                ),
            ]
        let model = Param<Value>.positional("model")
        for (name, doc, ofLayer, ofTensor) in penalties {
            registry.function(
                name, module: module, doc: doc, parameters: [model], returns: "Tensor"
            ) { arguments in
                let value = try arguments[model]
                if let tensor = value.hostPayload(as: Tensor.self) {
                    return try arguments.wrap(tensor: ofTensor(try TensorConversion.float(tensor)))
                }
                guard let layer = try LayerValues.layer(from: value, session: arguments.session)
                else {
                    throw arguments.mismatch(model, expected: "a Layer")
                }
                return try arguments.wrap(tensor: ofLayer(layer))
            }
        }
        let layer = Param<any Layer>.positional("model", as: .layer)
        let l1Strength = Param<Float>.labelled("l1")
        let l2Strength = Param<Float>.labelled("l2")
        registry.function(
            "l1l2", module: module, doc: "λ₁·Σ|w| + λ₂·Σw² over a model's trainable weights.",
            parameters: [layer, l1Strength, l2Strength], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: l1l2(
                    try arguments[layer], l1: try arguments[l1Strength],
                    l2: try arguments[l2Strength]))
        }
    }

    private static func installConstraint(into registry: Registry) {
        registry.type(
            Constraint.self, name: "Constraint", kind: .value, module: module,
            doc: """
                A constraint an optimizer re-applies after each update: \
                `layer.weight.constraint = .maxNorm(3)` (Srivastava et al., 2014).
                """
        ) { type in
            let limit = Param<Float>.positional("limit")
            type.staticMethod(
                "maxNorm", parameters: [limit],
                doc: "Rescales each unit's incoming weights to a Euclidean norm of at most `limit`."
            ) { [unowned info = type.info] arguments in
                info.wrap(Constraint.maxNorm(try arguments[limit]))
            }
            type.description { constraint in
                switch constraint {
                case .maxNorm(let limit): return "maxNorm(\(limit))"
                }
            }
        }
        registry.type(
            NN.Parameter.self, name: "Parameter", kind: .reference, module: module, doc: ""
        ) { type in
            type.property(
                "constraint", type: "Constraint?",
                doc: "A constraint applied after every update, such as `.maxNorm(3)` (assignable).",
                get: { [unowned registry] parameter in
                    try parameter.constraint.map { try registry.value(wrapping: $0) } ?? .nilValue
                },
                set: { parameter, newValue in
                    if newValue.isNil {
                        parameter.constraint = nil
                        return
                    }
                    guard case .host(let object) = newValue,
                        let constraint = object.payload as? Constraint
                    else {
                        throw CellError.typeMismatch(
                            "constraint must be a Constraint, such as .maxNorm(3)")
                    }
                    parameter.constraint = constraint
                })
        }
    }

    private static func installInitializer(into registry: Registry) {
        registry.type(
            Initializer.self, name: "Initializer", kind: .value, module: module,
            doc: """
                How a layer fills a new weight or bias: `Dense(784, 128, weightInitializer: \
                .heNormal)`. Glorot & Bengio (2010); He et al. (2015).
                """
        ) { type in
            let info = type.info
            let constants: [(String, Initializer, String)] = [
                ("zeros", .zeros, "All zeros."), ("ones", .ones, "All ones."),
                ("pytorchDefault", .pytorchDefault, "PyTorch's default U(±1/√fanIn)."),
            ]
            for (name, initializer, doc) in constants {
                type.staticProperty(name, doc: doc) { [unowned info] in info.wrap(initializer) }
            }
            let value = Param<Float>.positional("value")
            type.staticMethod(
                "constant", parameters: [value], doc: "Every element equal to `value`."
            ) { [unowned info] arguments in info.wrap(Initializer.constant(try arguments[value])) }
            let low = Param<Float>.labelled("low")
            let high = Param<Float>.labelled("high")
            type.staticMethod("uniform", parameters: [low, high], doc: "Uniform in [low, high).") {
                [unowned info] arguments in
                info.wrap(Initializer.uniform(low: try arguments[low], high: try arguments[high]))
            }
            let mean = Param<Float>.labelled("mean", default: 0, shown: "0")
            let deviation = Param<Float>.labelled("standardDeviation", default: 1, shown: "1")
            type.staticMethod(
                "normal", parameters: [mean, deviation],
                doc: "Normal with a mean and a standard deviation."
            ) { [unowned info] arguments in
                info.wrap(
                    Initializer.normal(
                        mean: try arguments[mean], standardDeviation: try arguments[deviation]))
            }
            let scaled: [(String, (Float) -> Initializer, String, String)] = [
                ("glorotUniform", { .glorotUniform(gain: $0) }, "gain", "Glorot/Xavier uniform."),
                ("glorotNormal", { .glorotNormal(gain: $0) }, "gain", "Glorot/Xavier normal."),
                ("xavierUniform", { .glorotUniform(gain: $0) }, "gain", "Xavier (Glorot) uniform."),
                ("xavierNormal", { .glorotNormal(gain: $0) }, "gain", "Xavier (Glorot) normal."),
                (
                    "heUniform", { .heUniform(negativeSlope: $0) }, "negativeSlope",
                    "He/Kaiming uniform."
                ),
                (
                    "heNormal", { .heNormal(negativeSlope: $0) }, "negativeSlope",
                    "He/Kaiming normal."
                ),
            ]
            for (name, make, label, doc) in scaled {
                let fallback: Float = label == "gain" ? 1 : 0
                let scale = Param<Float>.labelled(
                    label, default: fallback, shown: "\(Int(fallback))")
                type.staticMethod(name, parameters: [scale], doc: doc) { [unowned info] arguments in
                    info.wrap(make(try arguments[scale]))
                }
            }
            type.description { "\($0)" }
        }
    }
}
