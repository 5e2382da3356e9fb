import Cell
import NN
import Tensor

/// Losses from logits as functions (`softmaxCrossEntropy(logits, labels)`) and as values passed
/// to `fit` (`loss: softmaxCrossEntropy`, `loss: .softmaxCrossEntropy(labelSmoothing: 0.1)`, or
/// any closure of (prediction, target)).
enum LossBindings {
    static let module = "NN"

    /// The loss functions bound globally, by the name a cell calls, as `fit` losses.
    static let byFunctionName: [String: Loss] = [
        "softmaxCrossEntropy": .softmaxCrossEntropy(), "binaryCrossEntropy": .binaryCrossEntropy(),
        "meanSquaredError": .meanSquaredError, "meanAbsoluteError": .meanAbsoluteError,
        "huberLoss": .huber(),
    ]

    static func install(into registry: Registry) {
        installReduction(into: registry)
        installLossType(into: registry)
        installFunctions(into: registry)
    }

    private static func installReduction(into registry: Registry) {
        registry.type(
            Reduction.self, name: "Reduction", kind: .value, module: module,
            doc: "How a loss reduces per-example values: `.mean`, `.sum` or `.none`."
        ) { type in
            for reduction in Reduction.allCases {
                type.staticProperty(reduction.rawValue, doc: "Reduce by \(reduction.rawValue).") {
                    [unowned info = type.info] in info.wrap(reduction)
                }
            }
            type.description { $0.rawValue }
        }
    }

    private static func installLossType(into registry: Registry) {
        registry.type(
            Loss.self, name: "Loss", kind: .value, module: module,
            doc: """
                A loss function with its name, for `fit`: `loss: .softmaxCrossEntropy(labelSmoothing: \
                0.1)`; callable as `loss(prediction, target)`.
                """
        ) { type in
            let info = type.info
            type.staticMethod(
                "softmaxCrossEntropy",
                parameters: [
                    .labelled("labelSmoothing", type: "Double", default: .int(0)),
                    .labelled("classWeights", default: .nilValue),
                ],
                doc: "Softmax cross-entropy from logits, with label smoothing and class weights."
            ) { [unowned info] arguments in
                info.wrap(
                    Loss.softmaxCrossEntropy(
                        labelSmoothing: try arguments.float(0),
                        classWeights: try arguments.optionalTensor(1).map(TensorConversion.float)))
            }
            type.staticMethod(
                "binaryCrossEntropy",
                parameters: [.labelled("positiveWeight", default: .nilValue)],
                doc: "Binary cross-entropy from logits, with an optional weight of positives."
            ) { [unowned info] arguments in
                info.wrap(
                    Loss.binaryCrossEntropy(
                        positiveWeight: try arguments.optionalTensor(0).map(TensorConversion.float))
                )
            }
            type.staticProperty("meanSquaredError", doc: "The mean squared error.") {
                [unowned info] in info.wrap(Loss.meanSquaredError)
            }
            type.staticProperty("meanAbsoluteError", doc: "The mean absolute error.") {
                [unowned info] in info.wrap(Loss.meanAbsoluteError)
            }
            type.staticMethod(
                "huber", parameters: [.labelled("delta", type: "Double", default: .int(1))],
                doc: "The Huber loss: squared below `delta`, linear above."
            ) { [unowned info] arguments in
                info.wrap(Loss.huber(delta: try arguments.float(0)))
            }
            type.staticMethod(
                "distillation", parameters: [.labelled("temperature", type: "Double")],
                doc: """
                    Knowledge distillation (Hinton et al., 2015): T²·KL between the softened \
                    teacher logits (the target) and the student's.
                    """
            ) { [unowned info] arguments in
                info.wrap(Loss.distillation(temperature: try arguments.float(0)))
            }
            type.callAsFunction(
                parameters: [.positional("prediction"), .positional("target")], returns: "Tensor",
                doc: "The loss of a prediction against a target."
            ) { loss, arguments in
                try arguments.wrap(
                    tensor: loss(try arguments.floatTensor(0), try arguments.tensor(1)))
            }
            type.property("name", type: "String", doc: "The loss's name.") { .string($0.name) }
            type.description { "Loss(\($0.name))" }
        }
    }

    private static func installFunctions(into registry: Registry) {
        let reduction = Parameter.labelled("reduction", type: "Reduction?", default: .nilValue)
        registry.function(
            "softmaxCrossEntropy", module: module,
            doc: """
                The cross-entropy of softmax(logits) against class indices [N] (or probabilities \
                [N, C]), computed stably from logits; with label smoothing and class weights.

                ```swift
                softmaxCrossEntropy(model(x), y)
                model.fit(data.train, optimizer: opt, loss: softmaxCrossEntropy)
                ```
                """,
            parameters: [
                .positional("logits"), .positional("labels"),
                .labelled("labelSmoothing", type: "Double", default: .int(0)),
                .labelled("classWeights", default: .nilValue), reduction,
            ],
            returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: softmaxCrossEntropy(
                    try arguments.floatTensor(0), try arguments.tensor(1),
                    labelSmoothing: try arguments.float(2),
                    classWeights: try arguments.optionalTensor(3).map(TensorConversion.float),
                    reduction: try self.reduction(arguments, 4)))
        }
        registry.function(
            "binaryCrossEntropy", module: module,
            doc: "Binary cross-entropy of sigmoid(logits) against 0/1 targets, from logits.",
            parameters: [
                .positional("logits"), .positional("targets"),
                .labelled("positiveWeight", default: .nilValue), reduction,
            ],
            returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: binaryCrossEntropy(
                    try arguments.floatTensor(0), try arguments.floatTensor(1),
                    positiveWeight: try arguments.optionalTensor(2).map(TensorConversion.float),
                    reduction: try self.reduction(arguments, 3)))
        }
        let regression: [(String, String, (Tensor, Tensor, Reduction) throws -> Tensor)] = [
            (
                "meanSquaredError", "The mean of (prediction − target)².",
                {
                    try meanSquaredError($0, $1, reduction: $2)
                }
            ),
            (
                "meanAbsoluteError", "The mean of |prediction − target|.",
                {
                    try meanAbsoluteError($0, $1, reduction: $2)
                }
            ),
        ]
        for (name, doc, apply) in regression {
            registry.function(
                name, module: module, doc: doc + " Also a `fit` loss.",
                parameters: [.positional("prediction"), .positional("target"), reduction],
                returns: "Tensor"
            ) { arguments in
                try arguments.wrap(
                    tensor: apply(
                        try arguments.floatTensor(0), try arguments.floatTensor(1),
                        try self.reduction(arguments, 2)))
            }
        }
        registry.function(
            "huberLoss", module: module,
            doc: "The Huber loss: squared below `delta`, linear above. Also a `fit` loss.",
            parameters: [
                .positional("prediction"), .positional("target"),
                .labelled("delta", type: "Double", default: .int(1)), reduction,
            ],
            returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: huberLoss(
                    try arguments.floatTensor(0), try arguments.floatTensor(1),
                    delta: try arguments.float(2), reduction: try self.reduction(arguments, 3)))
        }
        registry.function(
            "klDivergence", module: module,
            doc: """
                KL(softmax(targetLogits / T) ‖ softmax(logits / T)) · T², the distillation loss \
                (Hinton et al., 2015): `klDivergence(logits: student(x), targetLogits: teacher(x), \
                temperature: 4)`.
                """,
            parameters: [
                .labelled("logits"), .labelled("targetLogits"),
                .labelled("temperature", type: "Double", default: .int(1)), reduction,
            ],
            returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: klDivergence(
                    logits: try arguments.floatTensor(0),
                    targetLogits: try arguments.floatTensor(1),
                    temperature: try arguments.float(2), reduction: try self.reduction(arguments, 3)
                ))
        }
    }

    /// The reduction at parameter `index` (nil: the mean).
    private static func reduction(_ arguments: Arguments, _ index: Int) throws -> Reduction {
        arguments[index].isNil ? .mean : try arguments.host(Reduction.self, index)
    }

    // MARK: - Conversion

    /// The loss a value names: a `Loss`, one of the loss functions (`softmaxCrossEntropy`), an
    /// implicit member (`.huber(delta: 2)`), or any callable of (prediction, target), which is
    /// called back with the two tensors.
    static func loss(from value: Value, session: Session) throws -> Loss {
        switch value {
        case .host(let object):
            if let loss = object.payload as? Loss { return loss }
        case .function(let implicit as ImplicitMember):
            let resolved: Value
            do throws(Failure) {
                resolved = try session.resolveImplicit(implicit, in: "Loss", site: nil)
            } catch {
                throw error.error
            }
            return try loss(from: resolved, session: session)
        case .function(let function as HostFunction):
            if let loss = byFunctionName[function.name] { return loss }
        case .function(let function as OverloadSet):
            if let loss = byFunctionName[function.name] { return loss }
        default:
            break
        }
        guard session.isCallable(value) else {
            throw CellError.typeMismatch(
                "a loss must be a loss function such as softmaxCrossEntropy, or a closure "
                    + "{ prediction, target in … }, not \(value.typeName)")
        }
        let callback = CellCallback(value, session: session)
        let name: String
        if case .function(let function) = value { name = function.name } else { name = "loss" }
        return Loss(name: name) { prediction, target in
            guard let session = callback.liveSession else {
                throw CellError.invalidValue("the session that defined the loss has ended")
            }
            let result = try callback.call([try session.wrap(prediction), try session.wrap(target)])
            return try TensorConversion.tensor(from: result)
        }
    }
}
