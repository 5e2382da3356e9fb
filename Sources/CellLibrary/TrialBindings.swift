import Cell
import NN
import Tune

extension Trial: HostArgument {
    /// `Trial`.
    public static let cellTypeName = "Trial"
}

extension TrialRecord: HostArgument {
    /// `TrialRecord`.
    public static let cellTypeName = "TrialRecord"
}

extension TrialState: HostArgument {
    /// `TrialState`.
    public static let cellTypeName = "TrialState"
}

/// A study's trials in cells: the `Trial` an objective receives (`trial.logUniform`,
/// `trial.uniform`, `trial.int`, `trial.choice`, `trial.report`, `trial.shouldPrune`,
/// `trial.reporting("val_accuracy")` for fit's `callbacks:`, `trial.keep`, `trial.constrain`),
/// the records `study.trials` lists with their `TrialState` (`.complete`, `.pruned`, `.failed`,
/// `.running`, `.interrupted`), `study.best` and `study.budgetUsed`.
enum TrialBindings {
    static let module = StudyBindings.module

    static func install(into registry: Registry) {
        installState(into: registry)
        installTrial(into: registry)
        installRecord(into: registry)
        registry.type(
            BestTrial.self, name: "BestTrial", kind: .value, module: module,
            doc: "A study's best trial: `value`, `parameters`, `number`, and `model` if kept."
        ) { type in
            type.property("value", type: "Double", doc: "The objective value.") {
                .double($0.value)
            }
            type.property("values", type: "[Double]", doc: "The objective values.") {
                .array($0.values.map(Value.double))
            }
            type.property("number", type: "Int", doc: "The trial's number.") { .int($0.number) }
            type.property(
                "parameters", type: "[String: Any]", doc: "The trial's parameters by name."
            ) { parameters($0.record) }
            type.property(
                "model", type: "Any?", doc: "What the objective kept with `trial.keep(model)`."
            ) { ($0.model as? Value) ?? .nilValue }
            type.property("record", type: "TrialRecord", doc: "The trial's record.") {
                [unowned registry] best in try registry.value(wrapping: best.record)
            }
            type.description { best in
                "BestTrial(number: \(best.number), value: \(best.value), parameters: "
                    + "\(describe(best.record)))"
            }
        }
        registry.type(
            BudgetUsage.self, name: "BudgetUsage", kind: .value, module: module,
            doc: "Steps (epochs) a study used, against what it would have used without pruning."
        ) { type in
            type.property("used", type: "Int", doc: "Steps reported by every trial.") {
                .int($0.used)
            }
            type.property(
                "withoutPruning", type: "Int",
                doc: "Steps the trials would have used had none been pruned."
            ) { .int($0.withoutPruning) }
            type.property("fraction", type: "Double", doc: "used / withoutPruning.") {
                .double($0.fraction)
            }
            type.description { $0.description }
        }
        registry.type(
            TrialReporter.self, name: "TrialReporter", kind: .reference, module: module,
            doc: """
                A fit callback reporting a metric to a trial each epoch and stopping training \
                when the study's pruner says so: `callbacks: [trial.reporting("val_accuracy")]`.
                """,
            conformances: ["Callback"]
        ) { type in
            type.description { "TrialReporter(\($0.metrics.joined(separator: ", ")))" }
        }
    }

    // MARK: - TrialState

    private static func installState(into registry: Registry) {
        registry.type(
            TrialState.self, name: TrialState.cellTypeName, kind: .value, module: module,
            doc: """
                Where a trial is: `.running`, `.complete`, `.pruned`, `.failed` (with its \
                message) or `.interrupted`. Compared by kind: `record.state == .failed`.
                """
        ) { type in
            let states: [TrialState] = [.running, .complete, .pruned, .failed(""), .interrupted]
            for state in states {
                type.staticProperty(state.name, doc: "\(state.name).") {
                    [unowned info = type.info] in info.wrap(state)
                }
            }
            type.property("name", type: "String", doc: "The state's name.") { .string($0.name) }
            type.property("message", type: "String?", doc: "A failed trial's error.") { state in
                if case .failed(let message) = state { return .string(message) }
                return .nilValue
            }
            type.description { $0.description }
        }
        for (op, equal) in [("==", true), ("!=", false)] {
            registry.binaryOperator(op, lhs: TrialState.cellTypeName, rhs: TrialState.cellTypeName)
            { lhs, rhs, _ in
                let (a, b) = (
                    lhs.hostPayload(as: TrialState.self), rhs.hostPayload(as: TrialState.self)
                )
                return .bool((a?.name == b?.name) == equal)
            }
        }
    }

    // MARK: - Trial

    private static func installTrial(into registry: Registry) {
        registry.type(
            Trial.self, name: Trial.cellTypeName, kind: .reference, module: module,
            doc: """
                One run of a study's objective: asks for parameters (`trial.logUniform(\
                "learningRate", 1e-4...1e-1)`), reports intermediate values and learns whether \
                to stop early.
                """
        ) { type in
            type.property("number", type: "Int", doc: "The trial's number, from 0.") {
                .int($0.number)
            }
            type.property(
                "parameters", type: "[String: Any]", doc: "The parameters asked for so far."
            ) { parameters($0.record) }
            installParameters(type)
            let value = Param<Value>.positional(
                "value", as: Value.argumentKind.described(type: "Any"))
            let step = Param<Int>.labelled("step")
            type.method(
                "report", parameters: [value, step],
                doc: "Records an intermediate value (one per objective) at `step`."
            ) { trial, arguments in
                trial.report(
                    try numbers(try arguments[value], what: "a report"), step: try arguments[step])
                return .void
            }
            type.property(
                "shouldPrune", type: "Bool",
                doc: "Whether the study's pruner would stop this trial now."
            ) { .bool($0.shouldPrune) }
            let metric = Param<Value>.positional(
                "metric", as: Value.argumentKind.described(type: "Any"))
            type.method(
                "reporting", parameters: [metric], returns: "TrialReporter",
                doc: """
                    A fit callback reporting `metric` (one per objective) each epoch and \
                    stopping training when the trial is pruned.
                    """
            ) { trial, arguments in
                let names: [String]
                switch try arguments[metric] {
                case .string(let name): names = [name]
                case .array(let elements):
                    names = try elements.map { element in
                        guard case .string(let name) = element else {
                            throw CellError.typeMismatch("metric names are strings")
                        }
                        return name
                    }
                default:
                    throw CellError.typeMismatch(
                        "trial.reporting takes a metric name such as \"val_accuracy\"")
                }
                return try arguments.wrap(trial.reporting(names))
            }
            let object = Param<Value>.positional("model")
            type.method(
                "keep", parameters: [object],
                doc: "Keeps an object (the trained model) with the trial: `study.best.model`."
            ) { trial, arguments in
                trial.keep(try arguments[object])
                return .void
            }
            let constraint = Param<Value>.positional(
                "values", as: Value.argumentKind.described(type: "Any"))
            type.method(
                "constrain", parameters: [constraint],
                doc: "Records constraint values: each ≤ 0 means feasible."
            ) { trial, arguments in
                trial.constrain(try numbers(try arguments[constraint], what: "a constraint"))
                return .void
            }
            type.description { "Trial(number: \($0.number), parameters: \(describe($0.record)))" }
        }
    }

    private static func installParameters(_ type: TypeBuilder<Trial>) {
        let name = Param<String>.positional("name")
        let range = Param<Value>.positional(
            "range", as: Value.argumentKind.described(type: "ClosedRange<Double>"))
        type.method(
            "uniform", parameters: [name, range], returns: "Double",
            doc: "A float drawn uniformly from `range`: `trial.uniform(\"dropout\", 0...0.5)`."
        ) { trial, arguments in
            .double(try trial.uniform(try arguments[name], try doubleRange(try arguments[range])))
        }
        type.method(
            "logUniform", parameters: [name, range], returns: "Double",
            doc: "A float drawn log-uniformly from a positive `range`: each decade as likely."
        ) { trial, arguments in
            .double(
                try trial.logUniform(try arguments[name], try doubleRange(try arguments[range])))
        }
        let intRange = Param<Value>.positional(
            "range", as: Value.argumentKind.described(type: "ClosedRange<Int>"))
        let step = Param<Int>.labelled("step", default: 1)
        let log = Param<Bool>.labelled("log", default: false)
        type.method(
            "int", parameters: [name, intRange, step, log], returns: "Int",
            doc: "An integer from `range`, on a grid of `step`, or log-uniform (`log: true`)."
        ) { trial, arguments in
            guard case .range(let bounds) = try arguments[intRange],
                let integers = bounds.intBounds, !integers.isEmpty
            else {
                throw CellError.typeMismatch(
                    "trial.int needs a non-empty integer range such as 1...3")
            }
            let closed = integers.lowerBound...(integers.upperBound - 1)
            return .int(
                try trial.int(
                    try arguments[name], closed, step: try arguments[step], log: try arguments[log]
                ))
        }
        let options = Param<[Value]>.positional("options")
        type.method(
            "choice", parameters: [name, options], returns: "Any",
            doc:
                "One of `options` (numbers, strings or booleans): `trial.choice(\"units\", [32, 64])`."
        ) { trial, arguments in
            let label = try arguments[name]
            let values = try arguments[options].map { try parameterValue($0, name: label) }
            return value(try trial.choice(label, values))
        }
    }

    // MARK: - TrialRecord

    private static func installRecord(into registry: Registry) {
        registry.type(
            TrialRecord.self, name: TrialRecord.cellTypeName, kind: .value, module: module,
            doc: """
                What a study knows about one trial: `number`, `state`, `value`/`values`, \
                `parameters`, `steps`, `intermediateValues`, `constraints`, `seconds`.
                """
        ) { type in
            type.property("number", type: "Int", doc: "The trial's number.") { .int($0.number) }
            type.property("state", type: "TrialState", doc: "Where the trial is.") {
                [unowned registry] record in try registry.value(wrapping: record.state)
            }
            type.property("value", type: "Double?", doc: "The (first) objective value.") {
                $0.value.map(Value.double) ?? .nilValue
            }
            type.property("values", type: "[Double]", doc: "The objective values.") {
                .array($0.values.map(Value.double))
            }
            type.property("parameters", type: "[String: Any]", doc: "The parameters by name.") {
                parameters($0)
            }
            type.property("steps", type: "[Int]", doc: "The reported steps, in order.") {
                .array($0.steps.map(Value.int))
            }
            type.property(
                "stepCount", type: "Int", doc: "How many steps (epochs) the trial reported."
            ) { .int($0.stepCount) }
            type.property(
                "intermediateValues", type: "[Int: Double]",
                doc: "The reported values by step (an array per step for several objectives)."
            ) { record in
                var dictionary = DictionaryValue()
                for step in record.steps {
                    let values = record.intermediateValues[step] ?? []
                    dictionary[.int(step)] =
                        values.count == 1 ? .double(values[0]) : .array(values.map(Value.double))
                }
                return .dictionary(dictionary)
            }
            type.property("constraints", type: "[Double]", doc: "The constraint values.") {
                .array($0.constraints.map(Value.double))
            }
            type.property("isFeasible", type: "Bool", doc: "Whether every constraint is ≤ 0.") {
                .bool($0.isFeasible)
            }
            type.property(
                "seconds", type: "Double?",
                doc: "Wall-clock seconds from the trial's start to its end (nil while it runs)."
            ) { $0.seconds.map(Value.double) ?? .nilValue }
            type.description { record in
                "TrialRecord(number: \(record.number), state: \(record.state.name), values: "
                    + "\(record.values), parameters: \(describe(record)))"
            }
        }
    }

    // MARK: - Conversions

    /// A cell value as a parameter value: a number, a string or a boolean.
    static func parameterValue(_ value: Value, name: String) throws -> ParameterValue {
        switch value {
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        default:
            throw CellError.typeMismatch(
                "the options of '\(name)' must be numbers, strings or booleans, not "
                    + value.typeName)
        }
    }

    /// A parameter value as a cell value.
    static func value(_ parameter: ParameterValue) -> Value {
        switch parameter {
        case .int(let number): return .int(number)
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        }
    }

    /// A record's parameters as a dictionary, in the order the objective asked for them.
    static func parameters(_ record: TrialRecord) -> Value {
        var dictionary = DictionaryValue()
        for name in record.parameterOrder {
            if let parameter = record.parameters[name] {
                dictionary[.string(name)] = value(parameter)
            }
        }
        return .dictionary(dictionary)
    }

    private static func describe(_ record: TrialRecord) -> String {
        let pairs = record.parameterOrder.compactMap { name in
            record.parameters[name].map { "\(name): \($0)" }
        }
        return "[" + pairs.joined(separator: ", ") + "]"
    }

    /// A closed range of numbers (`1e-4...1e-1`, `0...1`) as doubles.
    private static func doubleRange(_ value: Value) throws -> ClosedRange<Double> {
        guard case .range(let range) = value, range.isClosed, range.step == nil,
            let low = range.lower?.numberValue, let high = range.upper?.numberValue
        else {
            throw CellError.typeMismatch(
                "give a closed range of numbers such as 1e-4...1e-1, not \(value.typeName)")
        }
        guard low <= high else {
            throw CellError.invalidValue("the range \(low)...\(high) is empty")
        }
        return low...high
    }

    /// A number or an array of numbers as doubles.
    private static func numbers(_ value: Value, what: String) throws -> [Double] {
        if let number = value.numberValue { return [number] }
        if case .array(let elements) = value {
            return try elements.map { element in
                guard let number = element.numberValue else {
                    throw CellError.typeMismatch("\(what) takes numbers, not \(element.typeName)")
                }
                return number
            }
        }
        throw CellError.typeMismatch(
            "\(what) takes a number or an array of numbers, not \(value.typeName)")
    }
}
