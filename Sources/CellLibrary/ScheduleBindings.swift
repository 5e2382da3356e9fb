import Cell
import NN
import Tensor

/// Learning-rate schedules as values passed to `fit(…, schedule:)`: step, multi-step and
/// exponential decay, cosine annealing with warm-up and restarts (Loshchilov & Hutter, 2017),
/// linear warm-up, one-cycle (Smith & Topin, 2019) and reduce-on-plateau.
enum ScheduleBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        let factor = Param<Float>.labelled("factor", default: 0.1)
        do {
            let stepSize = Param<Int>.labelled("stepSize")
            scheduleType(
                StepDecay.self, "StepDecay", registry,
                doc:
                    "The rate times `factor` every `stepSize` epochs: `StepDecay(stepSize: 10, factor: 0.1)`.",
                parameters: [stepSize, factor]
            ) { a in StepDecay(stepSize: try a[stepSize], factor: try a[factor]) }
        }
        do {
            let milestones = Param<[Int]>.labelled("milestones")
            scheduleType(
                MultiStepDecay.self, "MultiStepDecay", registry,
                doc:
                    "The rate times `factor` at each milestone epoch: `MultiStepDecay(milestones: [30, 80])`.",
                parameters: [milestones, factor]
            ) { a in MultiStepDecay(milestones: try a[milestones], factor: try a[factor]) }
        }
        do {
            let factor = Param<Float>.labelled("factor")
            scheduleType(
                ExponentialDecay.self, "ExponentialDecay", registry,
                doc: "The rate times `factor` every epoch: `ExponentialDecay(factor: 0.95)`.",
                parameters: [factor]
            ) { a in ExponentialDecay(factor: try a[factor]) }
        }
        do {
            let period = Param<Double>.labelled("period")
            let minimum = Param<Float>.labelled("minimum", default: 0, shown: "0")
            let warmupEpochs = Param<Double>.labelled("warmupEpochs", default: 0, shown: "0")
            let restarts = Param<Bool>.labelled("restarts", default: false)
            let multiplier = Param<Double>.labelled("periodMultiplier", default: 1, shown: "1")
            scheduleType(
                CosineAnnealing.self, "CosineAnnealing", registry,
                doc: """
                    Cosine annealing over `period` epochs (SGDR, Loshchilov & Hutter, 2017), with \
                    warm-up and warm restarts: `CosineAnnealing(period: 10, warmupEpochs: 1)`.
                    """,
                parameters: [period, minimum, warmupEpochs, restarts, multiplier]
            ) { a in
                CosineAnnealing(
                    period: try a[period], minimum: try a[minimum],
                    warmupEpochs: try a[warmupEpochs], restarts: try a[restarts],
                    periodMultiplier: try a[multiplier])
            }
        }
        do {
            let steps = Param<Int>.labelled("steps")
            let startFactor = Param<Float>.labelled("startFactor", default: 0, shown: "0")
            let then = Param<Value?>.optional("then")
            scheduleType(
                LinearWarmup.self, "LinearWarmup", registry,
                doc: """
                    The rate rising linearly over `steps` batches, then following another \
                    schedule: `LinearWarmup(steps: 500, then: CosineAnnealing(period: 10))`.
                    """,
                parameters: [steps, startFactor, then]
            ) { a in
                LinearWarmup(
                    steps: try a[steps], startFactor: try a[startFactor],
                    then: try a[then].map { try schedule(from: $0) })
            }
        }
        do {
            let epochs = Param<Int>.labelled("epochs")
            let maximum = Param<Float?>.optional("maximum")
            let warmupFraction = Param<Double>.labelled("warmupFraction", default: 0.3)
            let division = Param<Float>.labelled("divisionFactor", default: 25, shown: "25")
            let finalDivision = Param<Float>.labelled(
                "finalDivisionFactor", default: 10_000, shown: "10000")
            scheduleType(
                OneCycle.self, "OneCycle", registry,
                doc:
                    "The one-cycle policy (Smith & Topin, 2019) over `epochs`: `OneCycle(epochs: 5)`.",
                parameters: [epochs, maximum, warmupFraction, division, finalDivision]
            ) { a in
                OneCycle(
                    epochs: try a[epochs], maximum: try a[maximum],
                    warmupFraction: try a[warmupFraction], divisionFactor: try a[division],
                    finalDivisionFactor: try a[finalDivision])
            }
        }
        do {
            let maximize = Param<Bool>.labelled("maximize", default: false)
            let patience = Param<Int>.labelled("patience", default: 10)
            let threshold = Param<Float>.labelled("threshold", default: 1e-4)
            let cooldown = Param<Int>.labelled("cooldown", default: 0)
            let minimum = Param<Float>.labelled("minimum", default: 0, shown: "0")
            scheduleType(
                ReduceOnPlateau.self, "ReduceOnPlateau", registry,
                doc: """
                    The rate times `factor` when the validation loss (or `maximize`d metric) \
                    stops improving for `patience` epochs: \
                    `ReduceOnPlateau(factor: 0.5, patience: 2)`.
                    """,
                parameters: [maximize, factor, patience, threshold, cooldown, minimum]
            ) { a in
                ReduceOnPlateau(
                    mode: try a[maximize] ? .maximize : .minimize, factor: try a[factor],
                    patience: try a[patience], threshold: try a[threshold],
                    cooldown: try a[cooldown], minimum: try a[minimum])
            }
        }
    }

    /// Registers a schedule type with its initializer and `learningRates`.
    private static func scheduleType<S: LearningRateSchedule>(
        _ swiftType: S.Type, _ name: String, _ registry: Registry, doc: String,
        parameters: [any ParameterDeclaration], make: @escaping (Arguments) throws -> S
    ) {
        registry.type(
            swiftType, name: name, kind: .value, module: module, doc: doc,
            conformances: ["LearningRateSchedule"]
        ) { type in
            type.initializer(parameters: parameters, doc: doc) { arguments in
                try arguments.session.wrap(try make(arguments))
            }
            let base = Param<Float>.labelled("base")
            let epochs = Param<Int>.labelled("epochs")
            let stepsPerEpoch = Param<Int>.labelled("stepsPerEpoch", default: 1)
            type.method(
                "learningRates", parameters: [base, epochs, stepsPerEpoch],
                returns: "[Double]",
                doc: "The rate at every batch of `epochs` epochs, to print or plot the schedule."
            ) { schedule, arguments in
                let epochs = try arguments[epochs]
                let steps = try arguments[stepsPerEpoch]
                let (total, overflow) = max(epochs, 0).multipliedReportingOverflow(
                    by: max(steps, 1))
                guard !overflow, total <= 10_000_000 else {
                    throw CellError.invalidValue("too many steps to list: \(epochs) × \(steps)")
                }
                return .array(
                    schedule.learningRates(
                        base: try arguments[base], epochs: epochs, stepsPerEpoch: steps
                    ).map { .float32($0) })
            }
            type.description { "\($0)" }
        }
    }

    /// The schedule a value holds.
    ///
    /// - Throws: `CellError.typeMismatch` for anything else.
    static func schedule(from value: Value) throws -> any LearningRateSchedule {
        guard case .host(let object) = value,
            let schedule = object.payload as? any LearningRateSchedule
        else {
            throw CellError.typeMismatch(
                "a schedule must be one of StepDecay, MultiStepDecay, ExponentialDecay, "
                    + "CosineAnnealing, LinearWarmup, OneCycle, ReduceOnPlateau, not \(value.typeName)"
            )
        }
        return schedule
    }
}
