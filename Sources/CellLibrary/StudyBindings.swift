import Cell
import KernelInterface
import Plot
import Tune

extension Study: HostArgument {
    /// `Study`.
    public static let cellTypeName = "Study"
}

extension StudyDirection: HostArgument {
    /// `StudyDirection`.
    public static let cellTypeName = "StudyDirection"
}

/// A sampler as a cell value: `.tpe(seed: 1)`, `.grid(["units": [32, 64]])`.
struct SamplerChoice: HostArgument {
    static let cellTypeName = "Sampler"
    /// The library sampler.
    let sampler: any Sampler
    /// How the cell wrote it, for its description.
    let text: String
}

/// A trial pruner as a cell value: `.hyperband(minResource: 1, maxResource: 9)`.
struct PrunerChoice: HostArgument {
    static let cellTypeName = "Pruner"
    /// The library pruner.
    let pruner: any Pruner
    /// How the cell wrote it, for its description.
    let text: String
}

/// Hyperparameter search (issue 13): `Study(direction:sampler:pruner:storage:)` and
/// `study.optimize(trials:) { trial in … }` with a cell closure as the objective, its samplers
/// and pruners as implicit members, the best trial, the trials, the Pareto front, importances,
/// the budget used, the table and the best-so-far chart. Trials are bound in `TrialBindings`.
enum StudyBindings {
    static let module = "Tune"

    static func install(into registry: Registry) {
        registry.type(
            StudyDirection.self, name: StudyDirection.cellTypeName, kind: .value, module: module,
            doc: "Whether an objective is made small (`.minimize`) or large (`.maximize`)."
        ) { type in
            for direction in StudyDirection.allCases {
                type.staticProperty(direction.rawValue, doc: "\(direction.rawValue).") {
                    [unowned info = type.info] in info.wrap(direction)
                }
            }
            type.description { $0.rawValue }
        }
        installSamplers(into: registry)
        installPruners(into: registry)
        installStudy(into: registry)
        TrialBindings.install(into: registry)
        StudyChartBindings.install(into: registry)
    }

    // MARK: - Samplers

    private static func installSamplers(into registry: Registry) {
        registry.type(
            SamplerChoice.self, name: SamplerChoice.cellTypeName, kind: .value, module: module,
            doc: """
                How a study chooses parameters: `.grid([...])`, `.random(seed:)`, `.tpe(seed:)`, \
                `.gaussianProcess(seed:)`, `.nsga2(seed:)`. Without a seed a sampler draws one \
                from the session's generator, so `seed(n)` repeats a study.
                """
        ) { type in
            let seed = Param<UInt64?>.labelled("seed", as: .seed, default: .nilValue)
            func seeded(_ arguments: Arguments) throws -> UInt64 {
                try arguments[seed] ?? arguments.session.random.next()
            }
            let grid = Param<Value>.positional("grid")
            type.staticMethod(
                "grid", parameters: [grid],
                doc: """
                    Every combination of the values exactly once (`.grid(["units": [32, 64], \
                    "dropout": [0, 0.25]])`); the study ends when the grid is exhausted.
                    """
            ) { arguments in
                let values = try gridValues(try arguments[grid])
                return try arguments.wrap(
                    SamplerChoice(
                        sampler: GridSampler(values), text: ".grid(\(values.count) parameters)"))
            }
            type.staticMethod(
                "random", parameters: [seed],
                doc: "Independent uniform draws (Bergstra & Bengio 2012)."
            ) { arguments in
                let value = try seeded(arguments)
                return try arguments.wrap(
                    SamplerChoice(
                        sampler: RandomSampler(seed: value), text: ".random(seed: \(value))"))
            }
            type.staticMethod(
                "tpe", parameters: [seed],
                doc:
                    "Multivariate TPE with the constant liar (Bergstra et al. 2011; Watanabe 2023)."
            ) { arguments in
                let value = try seeded(arguments)
                return try arguments.wrap(
                    SamplerChoice(
                        sampler: TPESampler.tpe(seed: value), text: ".tpe(seed: \(value))"))
            }
            type.staticMethod(
                "gaussianProcess", parameters: [seed],
                doc: "GP regression, Matérn-5/2, log expected improvement (Snoek et al. 2012)."
            ) { arguments in
                let value = try seeded(arguments)
                return try arguments.wrap(
                    SamplerChoice(
                        sampler: GPSampler.gaussianProcess(seed: value),
                        text: ".gaussianProcess(seed: \(value))"))
            }
            type.staticMethod(
                "nsga2", parameters: [seed],
                doc: "NSGA-II for multi-objective studies (Deb et al. 2002)."
            ) { arguments in
                let value = try seeded(arguments)
                return try arguments.wrap(
                    SamplerChoice(
                        sampler: NSGAIISampler.nsga2(seed: value), text: ".nsga2(seed: \(value))"))
            }
            type.description { $0.text }
        }
    }

    /// A grid `[name: [values]]` as the library's.
    private static func gridValues(_ value: Value) throws -> [String: [ParameterValue]] {
        guard case .dictionary(let dictionary) = value else {
            throw CellError.typeMismatch(
                "a grid is a dictionary of names to values, such as [\"units\": [32, 64]], "
                    + "not \(value.typeName)")
        }
        var grid: [String: [ParameterValue]] = [:]
        for (key, options) in zip(dictionary.keys, dictionary.values) {
            guard case .string(let name) = key, case .array(let elements) = options else {
                throw CellError.typeMismatch(
                    "each grid entry is a name and an array of values, such as \"units\": [32, 64]")
            }
            grid[name] = try elements.map { try TrialBindings.parameterValue($0, name: name) }
        }
        return grid
    }

    // MARK: - Pruners

    private static func installPruners(into registry: Registry) {
        registry.type(
            PrunerChoice.self, name: PrunerChoice.cellTypeName, kind: .value, module: module,
            doc: """
                How a study stops unpromising trials early: `.median(warmupSteps:)`, \
                `.successiveHalving(minResource:reductionFactor:maxResource:)`, \
                `.hyperband(minResource:maxResource:reductionFactor:)`, `.none`.
                """
        ) { type in
            type.staticProperty("none", doc: "Never prunes.") { [unowned info = type.info] in
                info.wrap(PrunerChoice(pruner: NoPruner(), text: ".none"))
            }
            let warmup = Param<Int>.labelled("warmupSteps", default: 0)
            let startup = Param<Int>.labelled("startupTrials", default: 5)
            type.staticMethod(
                "median", parameters: [warmup, startup],
                doc: "Prunes a trial worse than the median of earlier trials at the same step."
            ) { arguments in
                let (steps, trials) = (try arguments[warmup], try arguments[startup])
                return try arguments.wrap(
                    PrunerChoice(
                        pruner: MedianPruner(warmupSteps: steps, startupTrials: trials),
                        text: ".median(warmupSteps: \(steps))"))
            }
            let minResource = Param<Int>.labelled("minResource", default: 1)
            let reduction = Param<Int>.labelled("reductionFactor", default: 3)
            let lastStep = Param<Int?>.optional("maxResource")
            type.staticMethod(
                "successiveHalving", parameters: [minResource, reduction, lastStep],
                doc: """
                    Asynchronous successive halving (ASHA, Li et al. 2020); a trial that reaches \
                    maxResource (its epochs, if given) completes instead of being judged there.
                    """
            ) { arguments in
                let (low, factor) = (try arguments[minResource], try arguments[reduction])
                let high = try arguments[lastStep]
                guard low >= 1, factor >= 2, high.map({ $0 >= low }) ?? true else {
                    throw CellError.invalidValue(
                        "successiveHalving needs minResource ≥ 1, reductionFactor ≥ 2 and "
                            + "maxResource ≥ minResource, not \(low), \(factor) and "
                            + (high.map { "\($0)" } ?? "none"))
                }
                let text =
                    ".successiveHalving(minResource: \(low), reductionFactor: \(factor)"
                    + (high.map { ", maxResource: \($0))" } ?? ")")
                return try arguments.wrap(
                    PrunerChoice(
                        pruner: SuccessiveHalvingPruner(
                            minResource: low, reductionFactor: factor, maxResource: high),
                        text: text))
            }
            let maxResource = Param<Int>.labelled("maxResource")
            type.staticMethod(
                "hyperband", parameters: [minResource, maxResource, reduction],
                doc: "Hyperband: several successive-halving brackets (Li et al. 2018)."
            ) { arguments in
                let (low, high) = (try arguments[minResource], try arguments[maxResource])
                let factor = try arguments[reduction]
                guard low >= 1, high >= low, factor >= 2 else {
                    throw CellError.invalidValue(
                        "hyperband needs 1 ≤ minResource ≤ maxResource and reductionFactor ≥ 2, "
                            + "not \(low), \(high), \(factor)")
                }
                return try arguments.wrap(
                    PrunerChoice(
                        pruner: HyperbandPruner(
                            minResource: low, maxResource: high, reductionFactor: factor),
                        text: ".hyperband(minResource: \(low), maxResource: \(high))"))
            }
            type.description { $0.text }
        }
    }

    // MARK: - Study

    private static func installStudy(into registry: Registry) {
        registry.type(
            Study.self, name: Study.cellTypeName, kind: .reference, module: module,
            doc: """
                A hyperparameter search: `Study(direction: .maximize, sampler: .tpe(seed: 1), \
                pruner: .hyperband(minResource: 1, maxResource: 9))`, then \
                `study.optimize(trials: 40) { trial in … }`.
                """
        ) { type in
            let direction = Param<StudyDirection?>.optional("direction")
            let directions = Param<[Value]>.labelled("directions")
            let sampler = Param<SamplerChoice?>.optional("sampler")
            let pruner = Param<PrunerChoice?>.optional("pruner")
            let storage = Param<String?>.optional("storage")
            type.initializer(
                parameters: [direction, sampler, pruner, storage],
                doc: """
                    A single-objective study (minimized unless `direction: .maximize`), \
                    journalled to `storage` (a JSON-lines file, reloaded and continued) if given.
                    """
            ) { arguments in
                let chosen = try arguments[direction]
                return try makeStudy(
                    [chosen ?? .minimize], arguments, sampler: sampler, pruner: pruner,
                    storage: storage)
            }
            type.initializer(
                parameters: [directions, sampler, pruner, storage],
                doc: "A multi-objective study, one direction per value the objective returns."
            ) { arguments in
                let list = try arguments[directions].map { element in
                    var value = element
                    if case .function(let implicit as ImplicitMember) = element {
                        value = try arguments.session.resolveImplicit(
                            implicit, in: StudyDirection.cellTypeName, site: nil)
                    }
                    guard let direction = value.hostPayload(as: StudyDirection.self) else {
                        throw CellError.typeMismatch(
                            "directions are .minimize or .maximize, not \(value.typeName)")
                    }
                    return direction
                }
                return try makeStudy(
                    list, arguments, sampler: sampler, pruner: pruner, storage: storage)
            }
            installOptimize(type)
            installResults(type, registry)
            type.description { $0.description }
            type.summary { $0.summary }
            type.display { study in
                var bundle = MimeBundle(plainText: study.description)
                bundle[.html] = StudyViews.table(study).html()
                return bundle
            }
        }
    }

    private static func makeStudy(
        _ directions: [StudyDirection], _ arguments: Arguments, sampler: Param<SamplerChoice?>,
        pruner: Param<PrunerChoice?>, storage: Param<String?>
    ) throws -> Value {
        let chosen =
            try arguments[sampler]?.sampler
            ?? RandomSampler(seed: arguments.session.random.next())
        let stopper = try arguments[pruner]?.pruner ?? NoPruner()
        let study: Study
        if let path = try arguments[storage] {
            study = try Study(
                directions: directions, sampler: chosen, pruner: stopper, storage: path)
        } else {
            study = try Study(directions: directions, sampler: chosen, pruner: stopper)
        }
        return try arguments.wrap(study)
    }

    private static func installOptimize(_ type: TypeBuilder<Study>) {
        let trials = Param<Int>.labelled("trials")
        let catchErrors = Param<Bool>.labelled("catch", default: true)
        let objective = Param<Value>.positional(
            "objective", as: Value.argumentKind.described(type: "(Trial) -> Any"))
        type.method(
            "optimize", parameters: [trials, catchErrors, objective], returns: "Study",
            doc: """
                Runs `trials` more trials of the objective, a closure `{ trial in … }` returning \
                the value (or one per objective). An error in it fails that trial and the study \
                goes on (`catch: false` stops instead); an interrupt marks the running trial \
                interrupted, and a later `optimize` continues.
                """
        ) { study, arguments in
            let session = arguments.session
            let function = try arguments[objective]
            let count = try arguments[trials]
            study.interruptHandling = InterruptHandling(
                check: { try session.checkInterrupt() },
                recognizes: { _ in session.interruptFlag.isRaised })
            let display = StudyDisplay.make(for: session, study: study, trials: count)
            study.observer = display
            defer {
                study.observer = nil
                display?.finish()
            }
            _ = try TrainingBindings.interruptible(session) {
                try study.optimize(trials: count, catch: try arguments[catchErrors]) { trial in
                    let result = try session.call(function, [try session.wrap(trial)])
                    return try objectiveValues(result)
                }
            }
            return try arguments.wrap(study)
        }
        type.method("stop", doc: "Stops the study after the running trial.") { study, _ in
            study.stop()
            return .void
        }
    }

    /// What an objective closure returned, as the study's values.
    static func objectiveValues(_ value: Value) throws -> [Double] {
        switch value {
        case .int(let number): return [Double(number)]
        case .double(let number): return [number]
        case .array(let elements): return try elements.map(number)
        case .tuple(let tuple): return try tuple.elements.map(number)
        default:
            throw CellError.typeMismatch(
                "the objective must return a number (or one per objective), not \(value.typeName)"
            )
        }
    }

    private static func number(_ value: Value) throws -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default:
            throw CellError.typeMismatch(
                "the objective's values must be numbers, not \(value.typeName)")
        }
    }

    private static func installResults(_ type: TypeBuilder<Study>, _ registry: Registry) {
        type.property("best", type: "BestTrial", doc: "The best complete trial.") {
            [unowned registry] study in try registry.value(wrapping: try study.best)
        }
        type.property("trials", type: "[TrialRecord]", doc: "Every trial, by number.") {
            [unowned registry] study in
            .array(try study.trials.map { try registry.value(wrapping: $0) })
        }
        type.property(
            "paretoFront", type: "[TrialRecord]",
            doc: "The complete trials no other dominates (multi-objective)."
        ) { [unowned registry] study in
            .array(try study.paretoFront.map { try registry.value(wrapping: $0) })
        }
        type.property(
            "budgetUsed", type: "BudgetUsage",
            doc: "Epochs (reported steps) used, against the cost without pruning."
        ) { [unowned registry] study in try registry.value(wrapping: study.budgetUsed) }
        type.property(
            "bestValues", type: "[Double?]", doc: "The best value so far after each trial."
        ) { study in .array(study.bestValues.map { $0.map(Value.double) ?? .nilValue }) }
        type.property(
            "seconds", type: "Double",
            doc: "Wall-clock seconds of all finished trials together: what the study cost."
        ) { .double($0.seconds) }
        type.property("direction", type: "StudyDirection", doc: "The (first) direction.") {
            [unowned registry] study in try registry.value(wrapping: study.direction)
        }
        type.property("warnings", type: "[String]", doc: "Messages about the journal.") {
            .array($0.warnings.map(Value.string))
        }
        type.method(
            "importances", returns: "[String: Double]",
            doc: "Each parameter's importance by PED-ANOVA (Watanabe et al. 2023), largest first."
        ) { study, _ in
            var dictionary = DictionaryValue()
            for item in try study.importances() {
                dictionary[.string(item.name)] = .double(item.importance)
            }
            return .dictionary(dictionary)
        }
        StudyChartBindings.installPlot(type)
        let title = Param<String?>.optional("title")
        type.method(
            "plotIntermediate", parameters: [title], returns: "Chart",
            doc: "Each trial's reported values by step; pruned trials end where they were cut."
        ) { study, arguments in
            try arguments.wrap(StudyViews.intermediateChart(study, title: try arguments[title]))
        }
        type.method(
            "plotParetoFront", parameters: [title], returns: "Chart",
            doc: "The first two objectives of every complete trial, the Pareto front joined."
        ) { study, arguments in
            try arguments.wrap(StudyViews.paretoChart(study, title: try arguments[title]))
        }
        type.method(
            "plotImportances", parameters: [title], returns: "Chart",
            doc: "The parameters' importances as a bar chart."
        ) { study, arguments in
            try arguments.wrap(
                StudyViews.importanceChart(try study.importances(), title: try arguments[title]))
        }
    }
}
