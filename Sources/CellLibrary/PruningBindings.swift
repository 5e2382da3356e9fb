import Cell
import Compress
import NN
import Tensor

/// Weight pruning in cells: `prune(model, sparsity: 0.9, scope: .global)` (in place),
/// `model.sparsity`, `PruningSchedule(target:start:end:frequency:)` as a `fit` callback,
/// `pruneUnits(model, fraction: 0.5, by: .l1)` (a new, smaller model) and `model.copy()`.
/// Pruned models save their pruned weights as CSR (see ModelFileBindings).
enum PruningBindings {
    static let module = "Compress"

    static func install(into registry: Registry) {
        installChoices(into: registry)
        installPrune(into: registry)
        installSchedule(into: registry)
        IterativePruningBindings.install(into: registry)
        CompareBindings.install(into: registry)
    }

    /// Members every layer gets: `sparsity`, `weightSparsities`, `nonZeroParameterCount`,
    /// `copy()`.
    static func installLayerMembers<L: Layer>(_ type: TypeBuilder<L>) {
        type.property(
            "sparsity", type: "Double",
            doc: """
                The share of the weights (rank ≥ 2) that are pruned, 0 for an unpruned model: \
                `prune(model, sparsity: 0.9); model.sparsity` → 0.9.
                """
        ) { .double(Double($0.sparsity)) }
        type.property(
            "weightSparsities", type: "[String: Double]",
            doc: "The sparsity of each prunable weight by its dotted name (`\"1.weight\"`)."
        ) { layer in
            var dictionary = DictionaryValue()
            for (name, sparsity) in layer.weightSparsities {
                dictionary[.string(name)] = .double(Double(sparsity))
            }
            return .dictionary(dictionary)
        }
        type.property(
            "nonZeroParameterCount", type: "Int",
            doc: "The parameter entries that are not zero (what a sparse file stores)."
        ) { .int($0.nonZeroParameterCount) }
        type.method(
            "copy", returns: "Layer",
            doc: """
                An independent copy of the model with its weights and pruning masks, to prune \
                or quantize while keeping the original: `let pruned = model.copy()`.
                """
        ) { layer, arguments in
            try LayerValues.value(of: try layer.copiedModel(), session: arguments.session)
        }
    }

    private static func installChoices(into registry: Registry) {
        registry.type(
            PruningScope.self, name: "PruningScope", kind: .value, module: module,
            doc: """
                Where weight pruning ranks magnitudes: `.layer` (each weight tensor to the same \
                sparsity) or `.global` (one threshold over the whole model).
                """
        ) { type in
            for scope in PruningScope.allCases {
                type.staticProperty(scope.rawValue, doc: "Prune by \(scope.rawValue).") {
                    [unowned info = type.info] in info.wrap(scope)
                }
            }
            type.description { ".\($0.rawValue)" }
        }
        registry.type(
            UnitScore.self, name: "UnitScore", kind: .value, module: module,
            doc: """
                How structured pruning ranks units or channels: `.l1` (sum of absolute incoming \
                weights, Li et al. 2017) or `.l2`.
                """
        ) { type in
            for score in UnitScore.allCases {
                type.staticProperty(score.rawValue, doc: "Rank by the \(score.rawValue) norm.") {
                    [unowned info = type.info] in info.wrap(score)
                }
            }
            type.description { ".\($0.rawValue)" }
        }
    }

    private static func installPrune(into registry: Registry) {
        let model = Param<any Layer>.positional("model", as: .layer)
        let sparsity = Param<Double>.labelled("sparsity")
        let scope = Param<PruningScope?>.labelled(
            "scope", as: PruningScope?.argumentKind.described(type: "PruningScope"),
            default: .nilValue, shown: ".layer")
        registry.function(
            "prune", module: module,
            doc: """
                Prunes the smallest-magnitude weights of a model in place (Han et al., 2015) \
                until `sparsity` of them are zero; masks keep them at zero through later \
                training with any optimizer. Biases stay dense.

                ```swift
                prune(model, sparsity: 0.9, scope: .global)
                model.sparsity                      // 0.9
                ```
                """,
            parameters: [model, sparsity, scope], returns: "Void"
        ) { arguments in
            try Compress.prune(
                try arguments[model], sparsity: try arguments[sparsity],
                scope: try arguments[scope] ?? .layer)
            return .void
        }
        let sequential = Param<any Layer>.positional("model", as: .layer)
        let fraction = Param<Double>.labelled("fraction")
        let score = Param<UnitScore?>.labelled(
            "by", as: UnitScore?.argumentKind.described(type: "UnitScore"),
            default: .nilValue, shown: ".l1")
        registry.function(
            "pruneUnits", module: module,
            doc: """
                A new, smaller model without the weakest `fraction` of the hidden units of each \
                Dense (and output channels of each Conv2D, with its BatchNorm) that feeds \
                another layer, and the matching inputs of that layer: fewer parameters, a \
                smaller file, a faster forward pass. The model itself is left unchanged.

                ```swift
                let smaller = pruneUnits(model, fraction: 0.5, by: .l1)
                ```
                """,
            parameters: [sequential, fraction, score], returns: "Sequential"
        ) { arguments in
            guard let source = try arguments[sequential] as? Sequential else {
                throw CellError.typeMismatch("pruneUnits needs a Sequential model")
            }
            let smaller = try Compress.pruneUnits(
                source, fraction: try arguments[fraction], by: try arguments[score] ?? .l1)
            return try LayerValues.value(of: smaller, session: arguments.session)
        }
    }

    private static func installSchedule(into registry: Registry) {
        registry.type(
            PruningSchedule.self, name: "PruningSchedule", kind: .reference, module: module,
            doc: """
                Gradual magnitude pruning during `fit` on the cubic schedule of Zhu & Gupta \
                (2017): sparsity rises from `initial` to `target` between epochs `start` and \
                `end`, the masks updated every `frequency` batches.

                ```swift
                model.fit(data.train, epochs: 8, optimizer: opt,
                          callbacks: [PruningSchedule(target: 0.9, start: 1, end: 6, frequency: 100)])
                ```
                """,
            conformances: ["Callback"]
        ) { type in
            let target = Param<Double>.labelled("target")
            let initial = Param<Double>.labelled("initial", default: 0)
            let start = Param<Int>.labelled("start", default: 0)
            let end = Param<Int>.labelled("end")
            let frequency = Param<Int>.labelled("frequency", default: 100)
            let scope = Param<PruningScope?>.labelled(
                "scope", as: PruningScope?.argumentKind.described(type: "PruningScope"),
                default: .nilValue, shown: ".layer")
            type.initializer(
                parameters: [target, initial, start, end, frequency, scope],
                doc: "A cubic pruning schedule (a `fit` callback)."
            ) { arguments in
                try arguments.session.wrap(
                    PruningSchedule(
                        target: try arguments[target], initial: try arguments[initial],
                        start: try arguments[start], end: try arguments[end],
                        frequency: try arguments[frequency],
                        scope: try arguments[scope] ?? .layer))
            }
            let afterStep = Param<Int>.labelled("afterStep")
            let batchesPerEpoch = Param<Int>.labelled("batchesPerEpoch")
            type.method(
                "sparsity", parameters: [afterStep, batchesPerEpoch], returns: "Double",
                doc: "The sparsity held after a number of training steps (batches)."
            ) { schedule, arguments in
                let steps = try arguments[afterStep]
                return .double(
                    schedule.sparsity(
                        afterStep: steps, batchesPerEpoch: try arguments[batchesPerEpoch]))
            }
            type.description { schedule in
                "PruningSchedule(target: \(schedule.target), start: \(schedule.start), "
                    + "end: \(schedule.end), frequency: \(schedule.frequency))"
            }
        }
    }
}

extension PruningScope: HostArgument {
    /// `PruningScope`.
    public static let cellTypeName = "PruningScope"
}

extension UnitScore: HostArgument {
    /// `UnitScore`.
    public static let cellTypeName = "UnitScore"
}
