import Tensor

/// NSGA-II (Deb et al., 2002, "A Fast and Elitist Multiobjective Genetic Algorithm: NSGA-II"),
/// as Optuna's `NSGAIISampler`: trials come in generations of `populationSize`; the first is
/// random; each later one breeds from the best `populationSize` complete trials so far (elitist
/// selection by non-dominated sorting, then crowding distance; with constraints, feasible
/// trials first and infeasible ones by violation — Deb's constrained domination). A child takes
/// each parameter from one of two tournament-chosen parents (uniform crossover, with
/// probability `crossoverProbability`), and each parameter is redrawn at random with
/// probability `mutationProbability` (1/d by default).
///
/// ```swift
/// let study = try Study(directions: [.maximize, .minimize], sampler: .nsga2(seed: 1))
/// ```
public struct NSGAIISampler: Sampler {
    /// The seed every draw derives from.
    public let seed: UInt64
    /// Trials per generation.
    public let populationSize: Int
    /// The chance that a child mixes its parents rather than copying the first.
    public let crossoverProbability: Double
    /// The chance each parameter is redrawn at random (nil: 1 / number of parameters).
    public let mutationProbability: Double?

    /// An NSGA-II sampler with Optuna's defaults.
    public init(
        seed: UInt64? = nil, populationSize: Int = 50, crossoverProbability: Double = 0.9,
        mutationProbability: Double? = nil
    ) {
        self.seed = SamplerRandom.resolve(seed)
        self.populationSize = max(populationSize, 2)
        self.crossoverProbability = min(max(crossoverProbability, 0), 1)
        self.mutationProbability = mutationProbability.map { min(max($0, 0), 1) }
    }

    /// The child's parameters for the shared space (the mutated ones left to `sample`).
    public func startTrial(_ number: Int, history: StudyHistory) throws(TuneError) -> [String:
        Double]
    {
        let generation = number / populationSize
        let space = history.intersectionSearchSpace()
        guard generation > 0, !space.isEmpty else { return [:] }
        let pool = history.trials.filter { trial in
            trial.number < generation * populationSize && trial.state == .complete
                && trial.values.count == history.directions.count
                && space.allSatisfy { trial.internalValue($0.name) != nil }
        }
        let ranked = Self.rank(pool, history: history)
        let population = Array(ranked.prefix(populationSize))
        guard population.count >= 2 else { return [:] }
        var generator = SamplerRandom.generator(seed: seed, trial: number, purpose: "nsga2")
        // Binary tournaments: the better-ranked (lower index) of two random members.
        func tournament() -> TrialRecord {
            let a = Int(generator.next() % UInt64(population.count))
            let b = Int(generator.next() % UInt64(population.count))
            return population[min(a, b)]
        }
        let first = tournament()
        let second = tournament()
        let mixes = SamplerRandom.uniform(&generator) < crossoverProbability
        let mutation = mutationProbability ?? 1 / Double(space.count)
        var child: [String: Double] = [:]
        for (name, _) in space {
            let fromSecond = mixes && SamplerRandom.uniform(&generator) < 0.5
            let mutated = SamplerRandom.uniform(&generator) < mutation
            guard !mutated else { continue }
            child[name] = (fromSecond ? second : first).internalValue(name)
        }
        return child
    }

    /// A random draw (generation 0, mutations, parameters outside the shared space).
    public func sample(
        _ name: String, _ distribution: Distribution, trial: TrialRecord, history: StudyHistory
    ) throws(TuneError) -> ParameterValue {
        var generator = SamplerRandom.generator(seed: seed, trial: trial.number, purpose: name)
        return distribution.value(atInternal: SamplerRandom.draw(distribution, &generator))
    }

    /// Trials best first: feasible by front and crowding distance, then infeasible by violation.
    static func rank(_ trials: [TrialRecord], history: StudyHistory) -> [TrialRecord] {
        let feasible = trials.filter(\.isFeasible)
        let infeasible = trials.filter { !$0.isFeasible }.sorted {
            $0.constraintViolation < $1.constraintViolation
        }
        let order = ParetoFront.rankedIndices(feasible.map { history.losses($0.values) })
        return order.map { feasible[$0] } + infeasible
    }
}

extension Sampler where Self == NSGAIISampler {
    /// NSGA-II for multi-objective studies (see `NSGAIISampler`).
    public static func nsga2(seed: UInt64? = nil, populationSize: Int = 50) -> NSGAIISampler {
        NSGAIISampler(seed: seed, populationSize: populationSize)
    }
}
