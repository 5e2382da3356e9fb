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
            let labelSmoothing = Param<Float>.labelled("labelSmoothing", default: 0, shown: "0")
            let classWeights = Param<Tensor?>.labelled(
                "classWeights", as: ArgumentKind<Tensor>.floatTensor.optional, default: .nilValue)
            type.staticMethod(
                "softmaxCrossEntropy", parameters: [labelSmoothing, classWeights],
                doc: "Softmax cross-entropy from logits, with label smoothing and class weights."
            ) { [unowned info] arguments in
                info.wrap(
                    Loss.softmaxCrossEntropy(
                        labelSmoothing: try arguments[labelSmoothing],
                        classWeights: try arguments[classWeights]))
            }
            let positiveWeight = Param<Tensor?>.labelled(
                "positiveWeight", as: ArgumentKind<Tensor>.floatTensor.optional, default: .nilValue)
            type.staticMethod(
                "binaryCrossEntropy", parameters: [positiveWeight],
                doc: "Binary cross-entropy from logits, with an optional weight of positives."
            ) { [unowned info] arguments in
                info.wrap(
                    Loss.binaryCrossEntropy(
                        positiveWeight: try arguments[positiveWeight])
                )
            }
            type.staticProperty("meanSquaredError", doc: "The mean squared error.") {
                [unowned info] in info.wrap(Loss.meanSquaredError)
            }
            type.staticProperty("meanAbsoluteError", doc: "The mean absolute error.") {
                [unowned info] in info.wrap(Loss.meanAbsoluteError)
            }
            let delta = Param<Float>.labelled("delta", default: 1, shown: "1")
            type.staticMethod(
                "huber", parameters: [delta],
                doc: "The Huber loss: squared below `delta`, linear above."
            ) { [unowned info] arguments in
                info.wrap(Loss.huber(delta: try arguments[delta]))
            }
            let temperature = Param<Float>.labelled("temperature")
            type.staticMethod(
                "distillation", parameters: [temperature],
                doc: """
                    Knowledge distillation (Hinton et al., 2015): T²·KL between the softened \
                    teacher logits (the target) and the student's.
                    """
            ) { [unowned info] arguments in
                info.wrap(Loss.distillation(temperature: try arguments[temperature]))
            }
            let prediction = Param<Tensor>.positional("prediction", as: .floatTensor)
            let target = Param<Tensor>.positional("target", as: .tensor)
            type.callAsFunction(
                parameters: [prediction, target], returns: "Tensor",
                doc: "The loss of a prediction against a target."
            ) { loss, arguments in
                try arguments.wrap(tensor: loss(try arguments[prediction], try arguments[target]))
            }
            type.property("name", type: "String", doc: "The loss's name.") { .string($0.name) }
            type.description { "Loss(\($0.name))" }
        }
    }

    private static func installFunctions(into registry: Registry) {
        let reduction = Param<Reduction?>.optional("reduction")
        let logits = Param<Tensor>.positional("logits", as: .floatTensor)
        let prediction = Param<Tensor>.positional("prediction", as: .floatTensor)
        let target = Param<Tensor>.positional("target", as: .floatTensor)
        let labels = Param<Tensor>.positional("labels", as: .tensor)
        let labelSmoothing = Param<Float>.labelled("labelSmoothing", default: 0, shown: "0")
        let classWeights = Param<Tensor?>.labelled(
            "classWeights", as: ArgumentKind<Tensor>.floatTensor.optional, default: .nilValue)
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
            parameters: [logits, labels, labelSmoothing, classWeights, reduction],
            returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: softmaxCrossEntropy(
                    try arguments[logits], try arguments[labels],
                    labelSmoothing: try arguments[labelSmoothing],
                    classWeights: try arguments[classWeights],
                    reduction: try arguments[reduction] ?? .mean))
        }
        let targets = Param<Tensor>.positional("targets", as: .floatTensor)
        let positiveWeight = Param<Tensor?>.labelled(
            "positiveWeight", as: ArgumentKind<Tensor>.floatTensor.optional, default: .nilValue)
        registry.function(
            "binaryCrossEntropy", module: module,
            doc: "Binary cross-entropy of sigmoid(logits) against 0/1 targets, from logits.",
            parameters: [logits, targets, positiveWeight, reduction],
            returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: binaryCrossEntropy(
                    try arguments[logits], try arguments[targets],
                    positiveWeight: try arguments[positiveWeight],
                    reduction: try arguments[reduction] ?? .mean))
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
                parameters: [prediction, target, reduction], returns: "Tensor"
            ) { arguments in
                try arguments.wrap(
                    tensor: apply(
                        try arguments[prediction], try arguments[target],
                        try arguments[reduction] ?? .mean))
            }
        }
        let delta = Param<Float>.labelled("delta", default: 1, shown: "1")
        registry.function(
            "huberLoss", module: module,
            doc: "The Huber loss: squared below `delta`, linear above. Also a `fit` loss.",
            parameters: [prediction, target, delta, reduction], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: huberLoss(
                    try arguments[prediction], try arguments[target], delta: try arguments[delta],
                    reduction: try arguments[reduction] ?? .mean))
        }
        let studentLogits = Param<Tensor>.labelled("logits", as: .floatTensor)
        let targetLogits = Param<Tensor>.labelled("targetLogits", as: .floatTensor)
        let temperature = Param<Float>.labelled("temperature", default: 1, shown: "1")
        registry.function(
            "klDivergence", module: module,
            doc: """
                KL(softmax(targetLogits / T) ‖ softmax(logits / T)) · T², the distillation loss \
                (Hinton et al., 2015): `klDivergence(logits: student(x), targetLogits: teacher(x), \
                temperature: 4)`.
                """,
            parameters: [studentLogits, targetLogits, temperature, reduction], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: klDivergence(
                    logits: try arguments[studentLogits],
                    targetLogits: try arguments[targetLogits],
                    temperature: try arguments[temperature],
                    reduction: try arguments[reduction] ?? .mean))
        }
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
