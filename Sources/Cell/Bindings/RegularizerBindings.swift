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
            type.staticMethod(
                "l1", parameters: [.positional("strength", type: "Double")],
                doc: "λ·Σ|w| (Tibshirani, 1996): `.l1(1e-5)`."
            ) { [unowned info] arguments in info.wrap(Regularizer.l1(try arguments.float(0))) }
            type.staticMethod(
                "l2", parameters: [.positional("strength", type: "Double")],
                doc: "λ·Σw²: `.l2(1e-4)`."
            ) { [unowned info] arguments in info.wrap(Regularizer.l2(try arguments.float(0))) }
            type.staticMethod(
                "l1l2",
                parameters: [.labelled("l1", type: "Double"), .labelled("l2", type: "Double")],
                doc: "λ₁·Σ|w| + λ₂·Σw² (elastic net)."
            ) { [unowned info] arguments in
                info.wrap(Regularizer.l1l2(l1: try arguments.float(0), l2: try arguments.float(1)))
            }
            type.callAsFunction(
                parameters: [.positional("weight")], returns: "Tensor",
                doc: "The penalty for a weight tensor."
            ) { regularizer, arguments in
                try arguments.wrap(tensor: regularizer.penalty(try arguments.floatTensor(0)))
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
        for (name, doc, ofLayer, ofTensor) in penalties {
            registry.function(
                name, module: module, doc: doc, parameters: [.positional("model")],
                returns: "Tensor"
            ) { arguments in
                if case .host(let object) = arguments[0], object.payload is Tensor {
                    return try arguments.wrap(tensor: ofTensor(try arguments.floatTensor(0)))
                }
                return try arguments.wrap(tensor: ofLayer(try arguments.layer(0)))
            }
        }
        registry.function(
            "l1l2", module: module, doc: "λ₁·Σ|w| + λ₂·Σw² over a model's trainable weights.",
            parameters: [
                .positional("model"), .labelled("l1", type: "Double"),
                .labelled("l2", type: "Double"),
            ],
            returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: l1l2(
                    try arguments.layer(0), l1: try arguments.float(1), l2: try arguments.float(2)))
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
            type.staticMethod(
                "maxNorm", parameters: [.positional("limit", type: "Double")],
                doc: "Rescales each unit's incoming weights to a Euclidean norm of at most `limit`."
            ) { [unowned info = type.info] arguments in
                info.wrap(Constraint.maxNorm(try arguments.float(0)))
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
            type.staticMethod(
                "constant", parameters: [.positional("value", type: "Double")],
                doc: "Every element equal to `value`."
            ) { [unowned info] arguments in info.wrap(Initializer.constant(try arguments.float(0)))
            }
            type.staticMethod(
                "uniform",
                parameters: [.labelled("low", type: "Double"), .labelled("high", type: "Double")],
                doc: "Uniform in [low, high)."
            ) { [unowned info] arguments in
                info.wrap(
                    Initializer.uniform(low: try arguments.float(0), high: try arguments.float(1)))
            }
            type.staticMethod(
                "normal",
                parameters: [
                    .labelled("mean", type: "Double", default: .int(0)),
                    .labelled("standardDeviation", type: "Double", default: .int(1)),
                ],
                doc: "Normal with a mean and a standard deviation."
            ) { [unowned info] arguments in
                info.wrap(
                    Initializer.normal(
                        mean: try arguments.float(0), standardDeviation: try arguments.float(1)))
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
                let fallback: Value = label == "gain" ? .int(1) : .int(0)
                type.staticMethod(
                    name, parameters: [.labelled(label, type: "Double", default: fallback)],
                    doc: doc
                ) { [unowned info] arguments in info.wrap(make(try arguments.float(0))) }
            }
            type.description { "\($0)" }
        }
    }
}
