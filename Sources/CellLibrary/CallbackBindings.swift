import Cell
import NN
import Tensor

/// Callbacks for `fit`: a cell closure `{ epoch, logs in … }` run after every epoch (returning
/// `false` stops training), `Callback(onEpochEnd:onBatchEnd:onTrainBegin:onTrainEnd:)` for more
/// hooks, and the library's own callbacks.
enum CallbackBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        registry.type(
            ClosureCallback.self, name: "Callback", kind: .reference, module: module,
            doc: """
                Cell code run at points of `fit`. Each closure gets the epoch (from 1) or the \
                batch (from 1) and the latest metrics `[String: Double]`; returning `false` \
                from `onEpochEnd` stops training after that epoch.

                ```swift
                let printer = Callback(onEpochEnd: { epoch, logs in print(epoch, logs["loss"]!) })
                model.fit(data.train, optimizer: opt, callbacks: [printer])
                ```
                """
        ) { type in
            let hooks = ["onEpochEnd", "onBatchEnd", "onTrainBegin", "onTrainEnd"].map {
                Param<Value?>.labelled(
                    $0,
                    as: Value?.argumentKind.described(type: "((Int, [String: Double]) -> Any)?"),
                    default: .nilValue)
            }
            type.initializer(parameters: hooks, doc: "A callback running the given closures.") {
                arguments in
                var closures: [String: CellCallback] = [:]
                for hook in hooks {
                    if let function = try arguments[hook] {
                        closures[hook.parameter.name] = CellCallback(
                            function, session: arguments.session)
                    }
                }
                return try arguments.session.wrap(ClosureCallback(closures))
            }
            type.description { "Callback(\($0.hookNames.joined(separator: ", ")))" }
        }
        installEarlyStopping(into: registry)
    }

    private static func installEarlyStopping(into registry: Registry) {
        registry.type(
            MonitorMode.self, name: "MonitorMode", kind: .value, module: module,
            doc: "Which way a monitored metric should move: `.min`, `.max` or `.auto`."
        ) { type in
            for mode in [MonitorMode.min, .max, .auto] {
                type.staticProperty(mode.rawValue, doc: "\(mode.rawValue).") {
                    [unowned info = type.info] in info.wrap(mode)
                }
            }
            type.description { $0.rawValue }
        }
        registry.type(
            EarlyStopping.self, name: "EarlyStopping", kind: .reference, module: module,
            doc: """
                Stops `fit` when a metric stops improving for `patience` epochs, optionally \
                putting back the best epoch's weights, as Keras's (Prechelt, 1998): \
                `EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true)`.
                """,
            conformances: ["Callback"]
        ) { type in
            let monitor = Param<String>.labelled("monitor", default: "val_loss")
            // Declared `MonitorMode` with a nil default: omitted means `.auto`.
            let mode = Param<MonitorMode?>.labelled(
                "mode", as: MonitorMode?.argumentKind.described(type: "MonitorMode"),
                default: .nilValue)
            let minDelta = Param<Double>.labelled("minDelta", default: 0, shown: "0")
            let patience = Param<Int>.labelled("patience", default: 0)
            let restoreBestWeights = Param<Bool>.labelled("restoreBestWeights", default: false)
            let baseline = Param<Double?>.optional("baseline")
            let startFromEpoch = Param<Int>.labelled("startFromEpoch", default: 0)
            type.initializer(
                parameters: [
                    monitor, mode, minDelta, patience, restoreBestWeights, baseline,
                    startFromEpoch,
                ],
                doc: "An early-stopping callback with Keras's defaults."
            ) { arguments in
                try arguments.session.wrap(
                    EarlyStopping(
                        monitor: try arguments[monitor], mode: try arguments[mode] ?? .auto,
                        minDelta: try arguments[minDelta], patience: try arguments[patience],
                        restoreBestWeights: try arguments[restoreBestWeights],
                        baseline: try arguments[baseline],
                        startFromEpoch: try arguments[startFromEpoch]))
            }
            let epoch = { (value: Int?) -> Value in value.map { .int($0 + 1) } ?? .nilValue }
            type.property("bestEpoch", type: "Int?", doc: "The best epoch (from 1), if any.") {
                epoch($0.bestEpoch)
            }
            type.property("bestValue", type: "Double?", doc: "The best value seen.") {
                $0.bestValue.map(Value.double) ?? .nilValue
            }
            type.property(
                "stoppedEpoch", type: "Int?", doc: "The epoch (from 1) after which it stopped."
            ) { epoch($0.stoppedEpoch) }
            type.property(
                "restoredEpoch", type: "Int?",
                doc: "The epoch (from 1) whose weights were put back."
            ) { epoch($0.restoredEpoch) }
            type.description { stop in
                "EarlyStopping(monitor: \"\(stop.monitor)\", patience: \(stop.patience))"
            }
        }
        registry.type(
            TerminateOnNaN.self, name: "TerminateOnNaN", kind: .reference, module: module,
            doc: "Stops `fit` with an error as soon as a batch loss is NaN or infinite.",
            conformances: ["Callback"]
        ) { type in
            type.initializer(parameters: [], doc: "A TerminateOnNaN callback.") { arguments in
                try arguments.session.wrap(TerminateOnNaN())
            }
        }
    }

    /// The callbacks a `callbacks:` argument lists: library callbacks, `Callback`s, and
    /// closures (run after every epoch).
    static func callbacks(from value: Value, session: Session) throws -> [any NN.Callback] {
        guard case .array(let elements) = value else {
            throw CellError.typeMismatch("callbacks must be an array, such as [EarlyStopping()]")
        }
        return try elements.map { element in
            if let callback = element.hostPayload(as: (any NN.Callback).self) { return callback }
            if case .function = element {
                return ClosureCallback(["onEpochEnd": CellCallback(element, session: session)])
            }
            throw CellError.typeMismatch(
                "each callback must be a Callback, EarlyStopping or a closure { epoch, logs in … }, "
                    + "not \(element.typeName)")
        }
    }
}

/// A `Callback` whose hooks are cell closures called with (epoch or batch from 1, metrics).
final class ClosureCallback: NN.Callback {
    private let closures: [String: CellCallback]

    init(_ closures: [String: CellCallback]) {
        self.closures = closures
    }

    /// The hooks that have a closure.
    var hookNames: [String] { closures.keys.sorted() }

    func onTrainBegin(_ context: TrainingContext) throws {
        _ = try call("onTrainBegin", 0, [:], context)
    }

    func onBatchEnd(_ context: TrainingContext) throws {
        _ = try call("onBatchEnd", context.batch + 1, context.lastBatch?.metrics ?? [:], context)
    }

    func onEpochEnd(_ context: TrainingContext) throws {
        let result = try call(
            "onEpochEnd", context.epoch + 1, context.lastEpoch?.metrics ?? [:], context)
        if case .bool(false)? = result {
            context.requestStop(reason: "a callback returned false")
        }
    }

    func onTrainEnd(_ context: TrainingContext) throws {
        _ = try call(
            "onTrainEnd", context.history.count, context.lastEpoch?.metrics ?? [:], context)
    }

    /// Calls the closure for `hook`, if any, with a position and ordered metrics.
    private func call(
        _ hook: String, _ position: Int, _ metrics: [String: Double], _ context: TrainingContext
    ) throws -> Value? {
        guard let closure = closures[hook] else { return nil }
        var logs = DictionaryValue()
        let names = context.lastEpoch?.metricNames ?? []
        for name in names + metrics.keys.filter({ !names.contains($0) }).sorted() {
            if let value = metrics[name] { logs[.string(name)] = .metric(value) }
        }
        return try closure.call([.int(position), .dictionary(logs)])
    }
}
