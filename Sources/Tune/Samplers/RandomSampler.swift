/// Draws every parameter independently and uniformly (log-uniformly when log scaled): random
/// search, which beats a grid of the same size when few parameters matter (Bergstra & Bengio,
/// 2012, "Random Search for Hyper-Parameter Optimization").
///
/// ```swift
/// let study = Study(direction: .maximize, sampler: .random(seed: 7))
/// ```
public struct RandomSampler: Sampler {
    /// The seed every draw derives from.
    public let seed: UInt64

    /// A random sampler; without a seed, one is drawn from the session's generator.
    public init(seed: UInt64? = nil) {
        self.seed = SamplerRandom.resolve(seed)
    }

    /// A uniform draw.
    public func sample(
        _ name: String, _ distribution: Distribution, trial: TrialRecord, history: StudyHistory
    ) throws(TuneError) -> ParameterValue {
        var generator = SamplerRandom.generator(seed: seed, trial: trial.number, purpose: name)
        return distribution.value(atInternal: SamplerRandom.draw(distribution, &generator))
    }
}

extension Sampler where Self == RandomSampler {
    /// Random search (see `RandomSampler`).
    public static func random(seed: UInt64? = nil) -> RandomSampler { RandomSampler(seed: seed) }
}
