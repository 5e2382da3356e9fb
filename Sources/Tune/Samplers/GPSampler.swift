import Foundation
import Tensor

/// Bayesian optimization with a Gaussian process (Snoek et al., 2012, "Practical Bayesian
/// Optimization of Machine Learning Algorithms"): a Matérn-5/2 GP fitted to the complete
/// trials (hyperparameters by marginal likelihood, see `GaussianProcess`) and the next point
/// where the logarithm of expected improvement is largest (LogEI: Ament et al., 2023,
/// "Unexpected Improvements to Expected Improvement for Bayesian Optimization"), found from
/// many random starts refined by coordinate search. With constraints, each constraint gets its
/// own GP and the acquisition adds log P(constraint ≤ 0) (Gardner et al., 2014), as Optuna's
/// `GPSampler` does. Single-objective; the first `startupTrials` trials are random.
///
/// ```swift
/// let study = Study(direction: .minimize, sampler: .gaussianProcess(seed: 1))
/// ```
public struct GPSampler: Sampler {
    /// The seed every draw derives from.
    public let seed: UInt64
    /// Random trials before the GP is used.
    public let startupTrials: Int
    /// Random points the acquisition is evaluated at before local refinement.
    public let candidates: Int

    /// A GP sampler.
    public init(seed: UInt64? = nil, startupTrials: Int = 10, candidates: Int = 512) {
        self.seed = SamplerRandom.resolve(seed)
        self.startupTrials = max(startupTrials, 1)
        self.candidates = max(candidates, 1)
    }

    /// Single-objective only.
    public func validate(directions: [StudyDirection]) throws(TuneError) {
        guard directions.count == 1 else {
            throw .unsupported(
                component: "gaussianProcess",
                message: "it optimizes one objective; use .tpe or .nsga2 for several")
        }
    }

    /// The shared space, at the acquisition's maximum.
    public func startTrial(_ number: Int, history: StudyHistory) throws(TuneError) -> [String:
        Double]
    {
        let space = history.intersectionSearchSpace()
        let complete = history.completeTrials.filter { trial in
            space.allSatisfy { trial.internalValue($0.name) != nil }
        }
        guard !space.isEmpty, complete.count >= startupTrials,
            let direction = history.directions.first
        else { return [:] }
        var generator = SamplerRandom.generator(seed: seed, trial: number, purpose: "gp")
        let unit = UnitSpace(space)
        let inputs = complete.map { unit.toUnit($0) }
        let losses = complete.map { direction.loss($0.value ?? .nan) }
        guard let (targets, _, _) = Self.standardize(losses),
            let gp = GaussianProcess(
                inputs: inputs, targets: targets, categorical: unit.categorical)
        else { return [:] }
        let constraintCount = complete.map(\.constraints.count).max() ?? 0
        let constraintModels: [(GaussianProcess, threshold: Double)] = (0..<constraintCount)
            .compactMap { index in
                let values = complete.map {
                    $0.constraints.count > index ? $0.constraints[index] : 0
                }
                guard let (targets, mean, scale) = Self.standardize(values),
                    let model = GaussianProcess(
                        inputs: inputs, targets: targets, categorical: unit.categorical)
                else { return nil }
                return (model, (0 - mean) / scale)
            }
        let feasibleTargets = zip(complete, targets).filter { $0.0.isFeasible }.map(\.1)
        let bestTarget = feasibleTargets.min()
        let acquisition = { (x: [Double]) -> Double in
            var total = 0.0
            if let bestTarget {
                let (mean, variance) = gp.predict(x)
                let sigma = variance.squareRoot()
                total +=
                    Foundation.log(sigma) + LogExpectedImprovement.logH((bestTarget - mean) / sigma)
            }
            for (model, threshold) in constraintModels {
                let (mean, variance) = model.predict(x)
                total += Foundation.log(
                    max(Gaussian.cdf((threshold - mean) / variance.squareRoot()), 1e-300))
            }
            return total
        }
        let best = unit.maximize(acquisition, candidates: candidates, seeds: inputs, &generator)
        return Dictionary(uniqueKeysWithValues: zip(space.map(\.name), unit.fromUnit(best)))
    }

    /// Parameters outside the shared space are drawn at random.
    public func sample(
        _ name: String, _ distribution: Distribution, trial: TrialRecord, history: StudyHistory
    ) throws(TuneError) -> ParameterValue {
        var generator = SamplerRandom.generator(seed: seed, trial: trial.number, purpose: name)
        return distribution.value(atInternal: SamplerRandom.draw(distribution, &generator))
    }

    /// Values minus their mean over their standard deviation, with the mean and scale.
    static func standardize(_ values: [Double]) -> ([Double], Double, Double)? {
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        let scale = max(variance.squareRoot(), 1e-12)
        return (values.map { ($0 - mean) / scale }, mean, scale)
    }
}

extension Sampler where Self == GPSampler {
    /// Gaussian-process Bayesian optimization (see `GPSampler`).
    public static func gaussianProcess(seed: UInt64? = nil, startupTrials: Int = 10) -> GPSampler {
        GPSampler(seed: seed, startupTrials: startupTrials)
    }
}

/// log h(z) = log(φ(z) + z·Φ(z)), the log of expected improvement over σ, computed without
/// underflow for very negative z (Ament et al., 2023, eq. 9).
enum LogExpectedImprovement {
    static func logH(_ z: Double) -> Double {
        if z > -1 {
            return Foundation.log(Foundation.exp(Gaussian.logDensity(z)) + z * Gaussian.cdf(z))
        }
        let t = -z
        // φ(z) + zΦ(z) = φ(t)·(1 − t·Φ(−t)/φ(t)); the bracket by Mills' ratio, or its asymptotic
        // series 1/t² − 3/t⁴ + 15/t⁶ − 105/t⁸ where the direct form would cancel.
        let bracket: Double
        if t < 25 {
            let ratio = Gaussian.cdf(-t) / Foundation.exp(Gaussian.logDensity(t))
            bracket = 1 - t * ratio
        } else {
            let u = 1 / (t * t)
            bracket = u * (1 - 3 * u * (1 - 5 * u * (1 - 7 * u)))
        }
        return Gaussian.logDensity(t) + Foundation.log(max(bracket, 1e-300))
    }
}

/// The search space scaled to [0, 1] per numeric coordinate (choices keep their index), and
/// the acquisition's maximization over it.
struct UnitSpace {
    let space: [(name: String, distribution: Distribution)]
    let categorical: [Bool]

    init(_ space: [(name: String, distribution: Distribution)]) {
        self.space = space
        categorical = space.map(\.distribution.isCategorical)
    }

    func toUnit(_ trial: TrialRecord) -> [Double] {
        space.indices.map { d in
            let x = trial.internalValue(space[d].name) ?? 0
            if categorical[d] { return x }
            let bounds = space[d].distribution.internalBounds
            let width = bounds.upperBound - bounds.lowerBound
            return width > 0 ? (x - bounds.lowerBound) / width : 0
        }
    }

    func fromUnit(_ u: [Double]) -> [Double] {
        space.indices.map { d in
            if categorical[d] { return u[d] }
            let bounds = space[d].distribution.internalBounds
            return bounds.lowerBound + u[d] * (bounds.upperBound - bounds.lowerBound)
        }
    }

    private func optionCount(_ d: Int) -> Int {
        if case .choice(let options) = space[d].distribution { return options.count }
        return 1
    }

    private func random(_ generator: inout RandomGenerator) -> [Double] {
        space.indices.map { d in
            categorical[d]
                ? Double(Int(generator.next() % UInt64(optionCount(d))))
                : SamplerRandom.uniform(&generator)
        }
    }

    /// The best point found by `candidates` random points and the observed ones, the best few
    /// refined by coordinate search (halving steps on numbers, every option on choices).
    func maximize(
        _ f: ([Double]) -> Double, candidates: Int, seeds: [[Double]],
        _ generator: inout RandomGenerator
    ) -> [Double] {
        let scored = (0..<candidates).map { _ in random(&generator) } + seeds
        let values = scored.map(f)
        let starts = values.indices.sorted { values[$0] > values[$1] }.prefix(5)
        var best = scored[starts.first ?? 0]
        var bestValue = values[starts.first ?? 0]
        for start in starts {
            var x = scored[start]
            var value = values[start]
            var step = 0.1
            for _ in 0..<12 {
                var improved = false
                for d in space.indices {
                    let tries: [Double] =
                        categorical[d]
                        ? (0..<optionCount(d)).map(Double.init)
                        : [min(x[d] + step, 1), max(x[d] - step, 0)]
                    for candidate in tries where candidate != x[d] {
                        var y = x
                        y[d] = candidate
                        let v = f(y)
                        if v > value {
                            (x, value, improved) = (y, v, true)
                        }
                    }
                }
                if !improved { step /= 2 }
                if step < 1e-4 { break }
            }
            if value > bestValue { (best, bestValue) = (x, value) }
        }
        return best
    }
}
