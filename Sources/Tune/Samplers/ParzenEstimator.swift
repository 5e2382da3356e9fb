import Foundation
import Tensor

/// A mixture of product kernels over a search space, one kernel per observation plus a prior
/// kernel, as in Optuna's multivariate TPE (Falkner et al., 2018, "BOHB: Robust and Efficient
/// Hyperparameter Optimization at Scale", for the joint kernels): truncated Gaussians on the
/// numeric coordinates and on a choice a kernel that puts weight 1 + prior/K on the observed
/// option and prior/K on each. Each numeric kernel's bandwidth is Optuna 5's: the larger of the
/// gaps to its neighbours among the sorted observations (the outermost ones measured inward, the
/// bounds not counting), clipped to [range / min(100, n + 2), range] ("magic clip").
struct ParzenEstimator {
    let space: [(name: String, distribution: Distribution)]
    /// Observations: one row of internal coordinates per kernel, the prior kernel excluded.
    let observations: [[Double]]
    let logWeights: [Double]
    /// The bandwidth of each kernel (prior excluded) on each numeric coordinate.
    let sigmas: [[Double]]
    let priorWeight: Double
    /// −log σ − log(mass inside the bounds), per kernel (prior last) and numeric coordinate.
    let logNormalizers: [[Double]]
    /// The observations, bandwidths and normalizers row after row (kernel-major), for scoring
    /// without an array per kernel.
    let flatObservations: [Double]
    let flatSigmas: [Double]
    let flatNormalizers: [Double]
    /// Per coordinate: the number of options of a choice (0 for numbers), the prior kernel's
    /// mean and width, so that scoring does not recompute them.
    let optionCounts: [Int]
    let priorMeans: [Double]
    let priorSigmas: [Double]

    init(
        space: [(name: String, distribution: Distribution)], observations: [[Double]],
        weights: [Double], priorWeight: Double
    ) {
        self.space = space
        self.observations = observations
        self.priorWeight = priorWeight
        let total = weights.reduce(0, +) + priorWeight
        logWeights = (weights + [priorWeight]).map { Foundation.log($0 / total) }
        let sigmas = Self.bandwidths(space: space, observations: observations)
        self.sigmas = sigmas
        optionCounts = space.map { dimension in
            if case .choice(let options) = dimension.distribution { return options.count }
            return 0
        }
        priorMeans = space.map {
            ($0.distribution.internalBounds.lowerBound + $0.distribution.internalBounds.upperBound)
                / 2
        }
        priorSigmas = space.map {
            max(
                $0.distribution.internalBounds.upperBound
                    - $0.distribution.internalBounds.lowerBound, 1e-12)
        }
        logNormalizers = (0...observations.count).map { component in
            space.indices.map { d in
                let bounds = space[d].distribution.internalBounds
                let isPrior = component == observations.count
                let mean =
                    isPrior
                    ? (bounds.lowerBound + bounds.upperBound) / 2 : observations[component][d]
                let sigma = max(
                    isPrior ? bounds.upperBound - bounds.lowerBound : sigmas[component][d], 1e-12)
                return -Foundation.log(sigma)
                    - Gaussian.logMass(
                        (bounds.lowerBound - mean) / sigma, (bounds.upperBound - mean) / sigma)
            }
        }
        flatObservations = observations.flatMap { $0 }
        flatSigmas = sigmas.flatMap { $0 }
        flatNormalizers = logNormalizers.dropLast().flatMap { $0 }
    }

    /// Optuna 5's bandwidths, per kernel and numeric coordinate (0 on a choice's).
    static func bandwidths(
        space: [(name: String, distribution: Distribution)], observations: [[Double]]
    ) -> [[Double]] {
        var sigmas = [[Double]](
            repeating: [Double](repeating: 0, count: space.count), count: observations.count)
        for d in space.indices where !space[d].distribution.isCategorical {
            let bounds = space[d].distribution.internalBounds
            let (low, high) = (bounds.lowerBound, bounds.upperBound)
            let order = observations.indices.sorted { observations[$0][d] < observations[$1][d] }
            let mus = [low] + order.map { observations[$0][d] } + [high]
            let range = max(high - low, 1e-12)
            let smallest = range / min(100, Double(observations.count) + 2)
            for (position, index) in order.enumerated() {
                let i = position + 1
                var sigma = max(mus[i] - mus[i - 1], mus[i + 1] - mus[i])
                // The outermost observations look inward only (Optuna's endpoints off).
                if mus.count >= 4 {
                    if position == 0 { sigma = mus[2] - mus[1] }
                    if position == order.count - 1 { sigma = mus[i] - mus[i - 1] }
                }
                sigmas[index][d] = min(max(sigma, smallest), range)
            }
        }
        return sigmas
    }

    /// A draw: a kernel chosen by weight, then each coordinate from it.
    func sample(_ generator: inout RandomGenerator) -> [Double] {
        let u = SamplerRandom.uniform(&generator)
        var cumulative = 0.0
        var component = observations.count
        for (index, logWeight) in logWeights.enumerated() {
            cumulative += Foundation.exp(logWeight)
            if u < cumulative {
                component = index
                break
            }
        }
        return space.indices.map { d in
            let distribution = space[d].distribution
            let bounds = distribution.internalBounds
            let isPrior = component >= observations.count
            if case .choice(let options) = distribution {
                let k = options.count
                let observed = isPrior ? -1 : Int(observations[component][d])
                let prior = isPrior ? 1.0 / Double(k) : priorWeight / Double(k)
                let weights = (0..<k).map { $0 == observed ? 1 + prior : prior }
                let total = weights.reduce(0, +)
                var v = SamplerRandom.uniform(&generator) * total
                for (option, weight) in weights.enumerated() {
                    v -= weight
                    if v < 0 { return Double(option) }
                }
                return Double(k - 1)
            }
            let mean =
                isPrior ? (bounds.lowerBound + bounds.upperBound) / 2 : observations[component][d]
            let sigma = isPrior ? bounds.upperBound - bounds.lowerBound : sigmas[component][d]
            return Gaussian.sampleTruncated(
                mean: mean, sigma: max(sigma, 1e-12), low: bounds.lowerBound,
                high: bounds.upperBound, &generator)
        }
    }

    /// log of the mixture's density at `x`: O(kernels · dimensions).
    func logDensity(_ x: [Double]) -> Double {
        let dimensions = space.count
        let hitLog = optionCounts.map { k in
            k > 0 ? Foundation.log((1 + priorWeight / Double(k)) / (1 + priorWeight)) : 0
        }
        let missLog = optionCounts.map { k in
            k > 0 ? Foundation.log(priorWeight / Double(k) / (1 + priorWeight)) : 0
        }
        var terms = [Double](repeating: 0, count: observations.count + 1)
        let kernels = observations.count
        flatObservations.withUnsafeBufferPointer { rows in
            flatSigmas.withUnsafeBufferPointer { widths in
                flatNormalizers.withUnsafeBufferPointer { normalizers in
                    for component in 0..<kernels {
                        var total = logWeights[component]
                        let base = component * dimensions
                        for d in 0..<dimensions {
                            if optionCounts[d] > 0 {
                                total += Int(x[d]) == Int(rows[base + d]) ? hitLog[d] : missLog[d]
                            } else {
                                let z = (x[d] - rows[base + d]) / widths[base + d]
                                total +=
                                    -0.5 * z * z - Gaussian.logRootTwoPi + normalizers[base + d]
                            }
                        }
                        terms[component] = total
                    }
                }
            }
        }
        var prior = logWeights[observations.count]
        for d in 0..<dimensions {
            if optionCounts[d] > 0 {
                prior -= Foundation.log(Double(optionCounts[d]))
            } else {
                let z = (x[d] - priorMeans[d]) / priorSigmas[d]
                prior +=
                    -0.5 * z * z - Gaussian.logRootTwoPi + logNormalizers[observations.count][d]
            }
        }
        terms[observations.count] = prior
        return Gaussian.logSumExp(terms)
    }
}
