import Foundation
import Tensor

/// Chooses the parameters of new trials from the study's history.
///
/// A sampler is a value without hidden state: what it draws for a trial depends only on its
/// seed, the trial's number and the history, so a study reloaded from its journal draws what
/// an uninterrupted one would have. `startTrial` may choose several parameters jointly (a
/// multivariate sampler's draw over the search space every complete trial shares); `sample`
/// chooses any other parameter on its own.
///
/// ```swift
/// struct Midpoint: Sampler {
///     func sample(_ name: String, _ distribution: Distribution, trial: TrialRecord,
///                 history: StudyHistory) throws(TuneError) -> ParameterValue {
///         let bounds = distribution.internalBounds
///         return distribution.value(atInternal: (bounds.lowerBound + bounds.upperBound) / 2)
///     }
/// }
/// ```
public protocol Sampler: Sendable {
    /// Throws when the sampler cannot handle these objectives.
    func validate(directions: [StudyDirection]) throws(TuneError)
    /// The values of the parameters chosen jointly for trial `number`, in internal coordinates
    /// (see `Distribution`), when the trial starts.
    func startTrial(_ number: Int, history: StudyHistory) throws(TuneError) -> [String: Double]
    /// The value of one parameter not chosen at the start.
    func sample(
        _ name: String, _ distribution: Distribution, trial: TrialRecord, history: StudyHistory
    ) throws(TuneError) -> ParameterValue
    /// Whether there is nothing left to try (a finished grid).
    func isExhausted(_ history: StudyHistory) -> Bool
}

// MARK: - Default implementations

extension Sampler {
    /// Accepts any number of objectives.
    public func validate(directions: [StudyDirection]) throws(TuneError) {}
    /// Chooses nothing jointly.
    public func startTrial(_ number: Int, history: StudyHistory) throws(TuneError) -> [String:
        Double]
    {
        [:]
    }
    /// Never exhausted.
    public func isExhausted(_ history: StudyHistory) -> Bool { false }
}

/// The random generator of one draw: a function of the sampler's seed, the trial's number and a
/// purpose (a parameter's name), so draws do not depend on the order parameters are asked in.
enum SamplerRandom {
    static func generator(seed: UInt64, trial: Int, purpose: String) -> RandomGenerator {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, stable across processes
        for byte in purpose.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return RandomGenerator(
            seed: seed ^ (UInt64(truncatingIfNeeded: trial) &* 0x9e37_79b9_7f4a_7c15) ^ hash)
    }

    /// A seed from the process default generator (which `seed(n)` sets) when none is given.
    static func resolve(_ seed: UInt64?) -> UInt64 {
        seed ?? RandomGenerator.withDefault { $0.next() }
    }

    /// A Double uniform in [0, 1).
    static func uniform(_ generator: inout RandomGenerator) -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }

    /// A draw uniform in the distribution's internal space (an option index for a choice).
    static func draw(_ distribution: Distribution, _ generator: inout RandomGenerator) -> Double {
        let bounds = distribution.internalBounds
        if case .choice(let options) = distribution {
            return Double(Int(generator.next() % UInt64(max(options.count, 1))))
        }
        return bounds.lowerBound + uniform(&generator) * (bounds.upperBound - bounds.lowerBound)
    }

    /// A standard normal draw (Box–Muller).
    static func normal(_ generator: inout RandomGenerator) -> Double {
        let u1 = (Double(generator.next() >> 11) + 1) * 0x1p-53
        let u2 = uniform(&generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
