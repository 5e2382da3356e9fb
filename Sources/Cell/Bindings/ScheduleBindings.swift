import NN
import Tensor

/// Learning-rate schedules as values passed to `fit(…, schedule:)`: step, multi-step and
/// exponential decay, cosine annealing with warm-up and restarts (Loshchilov & Hutter, 2017),
/// linear warm-up, one-cycle (Smith & Topin, 2019) and reduce-on-plateau.
enum ScheduleBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        scheduleType(
            StepDecay.self, "StepDecay", registry,
            doc:
                "The rate times `factor` every `stepSize` epochs: `StepDecay(stepSize: 10, factor: 0.1)`.",
            parameters: [
                .labelled("stepSize", type: "Int"),
                .labelled("factor", type: "Double", default: .double(0.1)),
            ]
        ) { a in StepDecay(stepSize: try a.int(0), factor: try a.float(1)) }
        scheduleType(
            MultiStepDecay.self, "MultiStepDecay", registry,
            doc:
                "The rate times `factor` at each milestone epoch: `MultiStepDecay(milestones: [30, 80])`.",
            parameters: [
                .labelled("milestones", type: "[Int]"),
                .labelled("factor", type: "Double", default: .double(0.1)),
            ]
        ) { a in MultiStepDecay(milestones: try a.ints(0), factor: try a.float(1)) }
        scheduleType(
            ExponentialDecay.self, "ExponentialDecay", registry,
            doc: "The rate times `factor` every epoch: `ExponentialDecay(factor: 0.95)`.",
            parameters: [.labelled("factor", type: "Double")]
        ) { a in ExponentialDecay(factor: try a.float(0)) }
        scheduleType(
            CosineAnnealing.self, "CosineAnnealing", registry,
            doc: """
                Cosine annealing over `period` epochs (SGDR, Loshchilov & Hutter, 2017), with \
                warm-up and warm restarts: `CosineAnnealing(period: 10, warmupEpochs: 1)`.
                """,
            parameters: [
                .labelled("period", type: "Double"),
                .labelled("minimum", type: "Double", default: .int(0)),
                .labelled("warmupEpochs", type: "Double", default: .int(0)),
                .labelled("restarts", type: "Bool", default: .bool(false)),
                .labelled("periodMultiplier", type: "Double", default: .int(1)),
            ]
        ) { a in
            CosineAnnealing(
                period: try a.double(0), minimum: try a.float(1), warmupEpochs: try a.double(2),
                restarts: try a.bool(3), periodMultiplier: try a.double(4))
        }
        scheduleType(
            LinearWarmup.self, "LinearWarmup", registry,
            doc: """
                The rate rising linearly over `steps` batches, then following another schedule: \
                `LinearWarmup(steps: 500, then: CosineAnnealing(period: 10))`.
                """,
            parameters: [
                .labelled("steps", type: "Int"),
                .labelled("startFactor", type: "Double", default: .int(0)),
                .labelled("then", default: .nilValue),
            ]
        ) { a in
            LinearWarmup(
                steps: try a.int(0), startFactor: try a.float(1),
                then: try a.optional(2).map { try schedule(from: $0) })
        }
        scheduleType(
            OneCycle.self, "OneCycle", registry,
            doc: "The one-cycle policy (Smith & Topin, 2019) over `epochs`: `OneCycle(epochs: 5)`.",
            parameters: [
                .labelled("epochs", type: "Int"),
                .labelled("maximum", type: "Double?", default: .nilValue),
                .labelled("warmupFraction", type: "Double", default: .double(0.3)),
                .labelled("divisionFactor", type: "Double", default: .int(25)),
                .labelled("finalDivisionFactor", type: "Double", default: .int(10_000)),
            ]
        ) { a in
            OneCycle(
                epochs: try a.int(0), maximum: try a.optionalFloat(1),
                warmupFraction: try a.double(2), divisionFactor: try a.float(3),
                finalDivisionFactor: try a.float(4))
        }
        scheduleType(
            ReduceOnPlateau.self, "ReduceOnPlateau", registry,
            doc: """
                The rate times `factor` when the validation loss (or `maximize`d metric) stops \
                improving for `patience` epochs: `ReduceOnPlateau(factor: 0.5, patience: 2)`.
                """,
            parameters: [
                .labelled("maximize", type: "Bool", default: .bool(false)),
                .labelled("factor", type: "Double", default: .double(0.1)),
                .labelled("patience", type: "Int", default: .int(10)),
                .labelled("threshold", type: "Double", default: .double(1e-4)),
                .labelled("cooldown", type: "Int", default: .int(0)),
                .labelled("minimum", type: "Double", default: .int(0)),
            ]
        ) { a in
            ReduceOnPlateau(
                mode: try a.bool(0) ? .maximize : .minimize, factor: try a.float(1),
                patience: try a.int(2), threshold: try a.float(3), cooldown: try a.int(4),
                minimum: try a.float(5))
        }
    }

    /// Registers a schedule type with its initializer and `learningRates`.
    private static func scheduleType<S: LearningRateSchedule>(
        _ swiftType: S.Type, _ name: String, _ registry: Registry, doc: String,
        parameters: [Parameter], make: @escaping (Arguments) throws -> S
    ) {
        registry.type(
            swiftType, name: name, kind: .value, module: module, doc: doc,
            conformances: ["LearningRateSchedule"]
        ) { type in
            type.initializer(parameters: parameters, doc: doc) { arguments in
                try arguments.session.wrap(try make(arguments))
            }
            type.method(
                "learningRates",
                parameters: [
                    .labelled("base", type: "Double"), .labelled("epochs", type: "Int"),
                    .labelled("stepsPerEpoch", type: "Int", default: .int(1)),
                ],
                returns: "[Double]",
                doc: "The rate at every batch of `epochs` epochs, to print or plot the schedule."
            ) { schedule, arguments in
                let epochs = try arguments.int(1)
                let steps = try arguments.int(2)
                let (total, overflow) = max(epochs, 0).multipliedReportingOverflow(
                    by: max(steps, 1))
                guard !overflow, total <= 10_000_000 else {
                    throw CellError.invalidValue("too many steps to list: \(epochs) × \(steps)")
                }
                return .array(
                    schedule.learningRates(
                        base: try arguments.float(0), epochs: epochs, stepsPerEpoch: steps
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
