import Cell
import Compress
import Data
import NN

/// Iterative pruning with lottery-ticket rewinding in cells:
/// `IterativePruning(target: 0.9, rounds: 3, rewind: .epoch(1)).run(model, on: data.train, …)`.
enum IterativePruningBindings {
    static let module = "Compress"

    static func install(into registry: Registry) {
        registry.type(
            RewindPoint.self, name: "RewindPoint", kind: .value, module: module,
            doc: """
                Where iterative pruning puts the kept weights back after each round: `.none` \
                (fine-tune), `.initialization` (the lottery ticket, Frankle & Carbin 2019) or \
                `.epoch(k)` (rewinding, Frankle et al. 2020).
                """
        ) { type in
            type.staticProperty("none", doc: "No rewinding: keep training (fine-tuning).") {
                [unowned info = type.info] in info.wrap(RewindPoint.none)
            }
            type.staticProperty("initialization", doc: "Back to the initial weights.") {
                [unowned info = type.info] in info.wrap(RewindPoint.initialization)
            }
            let epoch = Param<Int>.positional("epoch")
            type.staticMethod(
                "epoch", parameters: [epoch], doc: "Back to the weights after epoch k."
            ) { arguments in
                try arguments.wrap(RewindPoint.epoch(try arguments[epoch]))
            }
            type.description { ".\($0)" }
        }
        registry.type(
            IterativePruning.self, name: "IterativePruning", kind: .value, module: module,
            doc: """
                Iterative magnitude pruning: train, prune a share of the remaining weights, \
                rewind the kept ones, retrain — `rounds` times up to `target` sparsity.

                ```swift
                let lottery = IterativePruning(target: 0.9, rounds: 3, rewind: .epoch(1))
                let rounds = lottery.run(model, on: data.train, epochs: 4, optimizer: Adam())
                ```
                """
        ) { type in
            let target = Param<Double>.labelled("target")
            let rounds = Param<Int>.labelled("rounds")
            let scope = Param<PruningScope?>.labelled(
                "scope", as: PruningScope?.argumentKind.described(type: "PruningScope"),
                default: .nilValue, shown: ".global")
            let rewind = Param<RewindPoint?>.labelled(
                "rewind", as: RewindPoint?.argumentKind.described(type: "RewindPoint"),
                default: .nilValue, shown: ".none")
            type.initializer(
                parameters: [target, rounds, scope, rewind], doc: "An iterative pruning plan."
            ) { arguments in
                try arguments.session.wrap(
                    IterativePruning(
                        target: try arguments[target], rounds: try arguments[rounds],
                        scope: try arguments[scope] ?? .global,
                        rewind: try arguments[rewind] ?? .none))
            }
            installRun(type)
            type.description { plan in
                "IterativePruning(target: \(plan.target), rounds: \(plan.rounds), "
                    + "rewind: .\(plan.rewind))"
            }
        }
    }

    private static func installRun(_ type: TypeBuilder<IterativePruning>) {
        let model = Param<any Layer>.positional("model", as: .layer)
        let data = Param<Dataset>.labelled("on")
        let epochs = Param<Int>.labelled("epochs")
        let batchSize = Param<Int>.labelled("batchSize", default: 32)
        let optimizer = Param<any Optimizer>.labelled("optimizer", as: .optimizer)
        let validation = Param<Dataset?>.optional("validation")
        let seed = Param<Int>.labelled("seed", default: 0)
        type.method(
            "run", parameters: [model, data, epochs, batchSize, optimizer, validation, seed],
            returns: "[[String: Double]]",
            doc: """
                Trains the model densely, then prunes, rewinds and retrains it each round; \
                returns one dictionary per round (`round`, `sparsity` and the last epoch's \
                metrics).
                """
        ) { plan, arguments in
            let records = try plan.run(
                try arguments[model], on: try arguments[data], epochs: try arguments[epochs],
                batchSize: try arguments[batchSize], optimizer: try arguments[optimizer],
                validation: try arguments[validation],
                seed: UInt64(bitPattern: Int64(try arguments[seed])))
            return .array(
                records.map { record in
                    var dictionary = DictionaryValue()
                    dictionary[.string("round")] = .int(record.round)
                    dictionary[.string("sparsity")] = .double(record.sparsity)
                    for name in record.metrics.keys.sorted() {
                        if let value = record.metrics[name] {
                            dictionary[.string(name)] = .double(value)
                        }
                    }
                    return .dictionary(dictionary)
                })
        }
    }
}

extension RewindPoint: HostArgument {
    /// `RewindPoint`.
    public static let cellTypeName = "RewindPoint"
}
