import Cell
import Data
import NN

/// The LR range test (Smith, 2017): `model.findLearningRate(data.train, optimizer: opt)` sweeps
/// the learning rate exponentially, one batch per step, then puts the model and the optimizer
/// back; the sweep suggests a rate and holds the curve to plot.
enum LearningRateFinderBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        registry.type(
            LearningRateSweep.self, name: "LearningRateSweep", kind: .value, module: module,
            doc: """
                The curve of an LR range test: `learningRates`, `losses`, `smoothedLosses`, and \
                the `suggestion` (where the smoothed loss falls fastest).
                """
        ) { type in
            type.property("learningRates", type: "[Double]", doc: "The rate of each step.") {
                .array($0.learningRates.map { .float32($0) })
            }
            type.property("losses", type: "[Double]", doc: "The loss of each step.") {
                .array($0.losses.map(Value.double))
            }
            type.property("smoothedLosses", type: "[Double]", doc: "The smoothed losses.") {
                .array($0.smoothedLosses.map(Value.double))
            }
            type.property("diverged", type: "Bool", doc: "Whether the loss blew up before the end.")
            {
                .bool($0.diverged)
            }
            type.property(
                "suggestion", type: "Double?",
                doc: "The suggested rate: the steepest descent, else a tenth of the minimum's."
            ) { sweep in sweep.suggestion.map { .float32($0) } ?? .nilValue }
            type.property("steepest", type: "Double?", doc: "Where the loss falls fastest.") {
                sweep in sweep.steepest.map { .float32($0) } ?? .nilValue
            }
            type.property(
                "minimumOverTen", type: "Double?", doc: "A tenth of the rate at the lowest loss."
            ) { sweep in sweep.minimumOverTen.map { .float32($0) } ?? .nilValue }
            type.description { sweep in
                let suggestion = sweep.suggestion.map { "\($0)" } ?? "none"
                return "LearningRateSweep(\(sweep.learningRates.count) steps, suggestion: "
                    + "\(suggestion)\(sweep.diverged ? ", diverged" : ""))"
            }
        }
    }

    static func installLayerMembers(_ type: TypeBuilder<Value>) {
        let data = Param<Dataset>.positional("data")
        let optimizer = Param<any Optimizer>.labelled(
            "optimizer",
            as: ArgumentKind<any Optimizer>.optimizer.described(
                type: nil, expected: "an optimizer such as SGD(learningRate: 0.1)"))
        let lossFunction = Param<Value?>.labelled(
            "loss", as: Value?.argumentKind.described(type: "((Tensor, Tensor) -> Tensor)?"),
            default: .nilValue, shown: "softmaxCrossEntropy")
        let batchSize = Param<Int>.labelled("batchSize", default: 64)
        let minimum = Param<Float>.labelled("minimum", default: 1e-7)
        let maximum = Param<Float>.labelled("maximum", default: 10, shown: "10")
        let steps = Param<Int>.labelled("steps", default: 100)
        type.method(
            "findLearningRate",
            parameters: [data, optimizer, lossFunction, batchSize, minimum, maximum, steps],
            returns: "LearningRateSweep",
            doc: """
                An LR range test (Smith, 2017): one batch per step while the learning rate grows \
                exponentially from `minimum` to `maximum`; the model and the optimizer are put \
                back afterwards. `model.findLearningRate(data.train, optimizer: SGD()).suggestion`
                """
        ) { value, arguments in
            guard let model = value.hostPayload(as: (any Layer).self) else {
                throw CellError.typeMismatch("expected a layer, not \(value.typeName)")
            }
            let optimizer = try arguments[optimizer]
            let session = arguments.session
            let data = try arguments[data]
            let loss =
                try arguments[lossFunction].map {
                    try LossBindings.loss(from: $0, session: session)
                }
                ?? (data.isClassification ? .softmaxCrossEntropy() : .meanSquaredError)
            let batchSize = try arguments[batchSize]
            let (minimum, maximum) = (try arguments[minimum], try arguments[maximum])
            let steps = try arguments[steps]
            return try session.wrap(
                try TrainingBindings.interruptible(session) {
                    try model.findLearningRate(
                        data, optimizer: optimizer, loss: loss, batchSize: batchSize,
                        minimum: minimum, maximum: maximum, steps: steps,
                        checkInterrupt: { try session.checkInterrupt() })
                })
        }
    }
}
