import Foundation
import Tensor

/// A mixture of product kernels over a search space, one kernel per observation plus a prior
/// kernel, as in Optuna's multivariate TPE (Falkner et al., 2018, "BOHB: Robust and Efficient
/// Hyperparameter Optimization at Scale", for the joint kernels): truncated Gaussians on the
/// numeric coordinates and, on a choice of K options, a kernel that puts weight 1 + w on the
/// observed option and w on each other, normalized, where w = prior / (n + 1) shrinks as the n
/// observations grow (Optuna 5's categorical kernel; the prior kernel is uniform over the
/// options). Each numeric kernel's bandwidth is Optuna 5's: the larger of the
/// gaps to its neighbours among the sorted observations (the outermost ones measured inward, the
/// bounds not counting), clipped to [range / min(100, n + 2), range] ("magic clip"). On an
/// integer coordinate, as Optuna's discrete kernels, draws are rounded to the grid and a
/// kernel's density at a value is its mass on the value's cell (half a step each side).
///
/// Everything is stored flat, kernel after kernel, and each kernel's constant part of its log
/// density (its weight, its normalizers, its choice terms' shape) is summed once, so that a
/// density costs a multiply-add per kernel and numeric coordinate.
struct ParzenEstimator {
    let space: [(name: String, distribution: Distribution)]
    /// The number of observation kernels (the prior kernel excluded).
    let kernelCount: Int
    let priorWeight: Double
    /// log of each kernel's normalized weight, the prior's last.
    let logWeights: [Double]
    /// Observations, kernel-major: `kernelCount × space.count` internal coordinates.
    let flatObservations: [Double]
    /// Bandwidths, kernel-major (0 on a choice's coordinate).
    let flatSigmas: [Double]
    /// 1/σ, kernel-major (0 on a choice's coordinate).
    let inverseSigmas: [Double]
    /// Per observation kernel: log weight + Σ over numeric coordinates of (−log σ − log √(2π) −
    /// log mass inside the bounds).
    let kernelConstants: [Double]
    /// Per coordinate: the number of options of a choice (0 for numbers), the prior kernel's
    /// mean, width and constant part.
    let optionCounts: [Int]
    let priorMeans: [Double]
    let priorSigmas: [Double]
    let priorConstant: Double
    /// Per choice coordinate: log of an observation kernel's weight on its observed option and
    /// on any other (0 for numbers).
    let hitLogs: [Double]
    let missLogs: [Double]
    /// Per coordinate: whether it is an integer's (a grid: discrete kernels).
    let isDiscrete: [Bool]

    init(
        space: [(name: String, distribution: Distribution)], observations: [[Double]],
        weights: [Double], priorWeight: Double
    ) {
        self.init(
            space: space, flatObservations: observations.flatMap { $0 },
            kernelCount: observations.count, weights: weights, priorWeight: priorWeight)
    }

    /// An estimator of `kernelCount` observations given kernel after kernel.
    init(
        space: [(name: String, distribution: Distribution)], flatObservations: [Double],
        kernelCount: Int, weights: [Double], priorWeight: Double
    ) {
        let dimensions = space.count
        self.space = space
        self.kernelCount = kernelCount
        self.priorWeight = priorWeight
        self.flatObservations = flatObservations
        let total = weights.reduce(0, +) + priorWeight
        logWeights = (weights + [priorWeight]).map { Foundation.log($0 / total) }
        let sigmas = Self.flatBandwidths(
            space: space, flatObservations: flatObservations, kernelCount: kernelCount)
        flatSigmas = sigmas
        inverseSigmas = sigmas.map { $0 > 0 ? 1 / $0 : 0 }
        let optionCounts = space.map { dimension -> Int in
            if case .choice(let options) = dimension.distribution { return options.count }
            return 0
        }
        self.optionCounts = optionCounts
        let isDiscrete = space.map { dimension -> Bool in
            if case .int = dimension.distribution { return true }
            return false
        }
        self.isDiscrete = isDiscrete
        let bounds = space.map(\.distribution.internalBounds)
        priorMeans = bounds.map { ($0.lowerBound + $0.upperBound) / 2 }
        priorSigmas = bounds.map { max($0.upperBound - $0.lowerBound, 1e-12) }
        let fill = priorWeight / Double(kernelCount + 1)
        hitLogs = optionCounts.map { k in
            k > 0 ? Foundation.log((1 + fill) / (1 + Double(k) * fill)) : 0
        }
        missLogs = optionCounts.map { k in
            k > 0 ? Foundation.log(fill / (1 + Double(k) * fill)) : 0
        }
        // The normalizer of a Gaussian (μ, σ) truncated to the bounds of coordinate d (a
        // discrete kernel's masses need no −log σ − log √(2π)).
        func logNormalizer(_ mean: Double, _ sigma: Double, _ d: Int) -> Double {
            let sigma = max(sigma, 1e-12)
            let density = isDiscrete[d] ? 0 : -Foundation.log(sigma) - Gaussian.logRootTwoPi
            return density
                - Gaussian.logMass(
                    (bounds[d].lowerBound - mean) / sigma, (bounds[d].upperBound - mean) / sigma)
        }
        var constants = [Double](repeating: 0, count: kernelCount)
        for kernel in 0..<kernelCount {
            var constant = logWeights[kernel]
            for d in 0..<dimensions where optionCounts[d] == 0 {
                let index = kernel * dimensions + d
                constant += logNormalizer(flatObservations[index], sigmas[index], d)
            }
            constants[kernel] = constant
        }
        kernelConstants = constants
        var prior = logWeights[kernelCount]
        for d in 0..<dimensions {
            prior +=
                optionCounts[d] > 0
                ? -Foundation.log(Double(optionCounts[d]))
                : logNormalizer(priorMeans[d], priorSigmas[d], d)
        }
        priorConstant = prior
    }

    /// The weight an observation's kernel on a choice gives every option besides the 1 of the
    /// observed one: the prior's weight shared among the n + 1 kernels, as Optuna 5's.
    var choiceFill: Double { priorWeight / Double(kernelCount + 1) }

    /// Optuna 5's bandwidths, per kernel and numeric coordinate (0 on a choice's).
    static func bandwidths(
        space: [(name: String, distribution: Distribution)], observations: [[Double]]
    ) -> [[Double]] {
        let flat = flatBandwidths(
            space: space, flatObservations: observations.flatMap { $0 },
            kernelCount: observations.count)
        return (0..<observations.count).map {
            Array(flat[$0 * space.count..<($0 + 1) * space.count])
        }
    }

    /// The bandwidths, kernel-major: one sort of (value, kernel) pairs per numeric coordinate.
    static func flatBandwidths(
        space: [(name: String, distribution: Distribution)], flatObservations: [Double],
        kernelCount n: Int
    ) -> [Double] {
        let dimensions = space.count
        var sigmas = [Double](repeating: 0, count: n * dimensions)
        var column: [(value: Double, kernel: Int)] = []
        column.reserveCapacity(n)
        for d in space.indices where !space[d].distribution.isCategorical {
            let bounds = space[d].distribution.internalBounds
            let (low, high) = (bounds.lowerBound, bounds.upperBound)
            column.removeAll(keepingCapacity: true)
            for kernel in 0..<n {
                column.append((flatObservations[kernel * dimensions + d], kernel))
            }
            column.sort { $0.value != $1.value ? $0.value < $1.value : $0.kernel < $1.kernel }
            let range = max(high - low, 1e-12)
            let smallest = range / min(100, Double(n) + 2)
            // The sorted values with the bounds at both ends: mu(0) = low, mu(n + 1) = high.
            func mu(_ i: Int) -> Double { i == 0 ? low : i == n + 1 ? high : column[i - 1].value }
            for position in 0..<n {
                let i = position + 1
                var sigma = max(mu(i) - mu(i - 1), mu(i + 1) - mu(i))
                // The outermost observations look inward only (Optuna's endpoints off).
                if n >= 2 {
                    if position == 0 { sigma = mu(2) - mu(1) }
                    if position == n - 1 { sigma = mu(i) - mu(i - 1) }
                }
                sigmas[column[position].kernel * dimensions + d] = min(max(sigma, smallest), range)
            }
        }
        return sigmas
    }

    /// A draw: a kernel chosen by weight, then each coordinate from it.
    func sample(_ generator: inout RandomGenerator) -> [Double] {
        let u = SamplerRandom.uniform(&generator)
        var cumulative = 0.0
        var component = kernelCount
        for (index, logWeight) in logWeights.enumerated() {
            cumulative += Foundation.exp(logWeight)
            if u < cumulative {
                component = index
                break
            }
        }
        let isPrior = component >= kernelCount
        let base = component * space.count
        return space.indices.map { d in
            let distribution = space[d].distribution
            let bounds = distribution.internalBounds
            if case .choice(let options) = distribution {
                let k = options.count
                let observed = isPrior ? -1 : Int(flatObservations[base + d])
                let weights = (0..<k).map { $0 == observed ? 1 + choiceFill : choiceFill }
                let total = weights.reduce(0, +)
                var v = SamplerRandom.uniform(&generator) * total
                for (option, weight) in weights.enumerated() {
                    v -= weight
                    if v < 0 { return Double(option) }
                }
                return Double(k - 1)
            }
            let mean = isPrior ? priorMeans[d] : flatObservations[base + d]
            let sigma = isPrior ? priorSigmas[d] : flatSigmas[base + d]
            let x = Gaussian.sampleTruncated(
                mean: mean, sigma: max(sigma, 1e-12), low: bounds.lowerBound,
                high: bounds.upperBound, &generator)
            // An integer's draw is rounded to its grid, so that it is scored where it lands.
            guard isDiscrete[d] else { return x }
            return distribution.internalValue(of: distribution.value(atInternal: x)) ?? x
        }
    }

    /// The cell of an integer's internal coordinate: half a step either side of its value (on
    /// the logarithm of the ends when log scaled).
    func cell(_ x: Double, _ d: Int) -> (low: Double, high: Double) {
        guard case .int(_, let step, let log) = space[d].distribution else { return (x, x) }
        let half = 0.5 * Double(max(step, 1))
        guard log else { return (x - half, x + half) }
        let value = Foundation.exp(x).rounded()
        return (Foundation.log(max(value - half, 1e-300)), Foundation.log(value + half))
    }

    /// log of the mixture's density at `x`: O(kernels · dimensions), without allocating.
    func logDensity(_ x: [Double]) -> Double {
        let dimensions = space.count
        if isDiscrete.contains(true) { return logDensityWithCells(x) }
        var prior = priorConstant
        for d in 0..<dimensions where optionCounts[d] == 0 {
            let z = (x[d] - priorMeans[d]) / priorSigmas[d]
            prior -= 0.5 * z * z
        }
        guard kernelCount > 0 else { return prior }
        // Two passes over the kernels (the largest term, then the sum of exponentials)
        // would read everything twice; one pass keeps a running maximum instead.
        var largest = prior
        var sum = 1.0  // Σ exp(term − largest), the prior's term included
        flatObservations.withUnsafeBufferPointer { rows in
            inverseSigmas.withUnsafeBufferPointer { inverse in
                kernelConstants.withUnsafeBufferPointer { constants in
                    x.withUnsafeBufferPointer { x in
                        optionCounts.withUnsafeBufferPointer { options in
                            hitLogs.withUnsafeBufferPointer { hits in
                                missLogs.withUnsafeBufferPointer { misses in
                                    var base = 0
                                    for kernel in 0..<kernelCount {
                                        var term = constants[kernel]
                                        for d in 0..<dimensions {
                                            if options[d] > 0 {
                                                term +=
                                                    Int(x[d]) == Int(rows[base + d])
                                                    ? hits[d] : misses[d]
                                            } else {
                                                let z = (x[d] - rows[base + d]) * inverse[base + d]
                                                term -= 0.5 * z * z
                                            }
                                        }
                                        base += dimensions
                                        if term > largest {
                                            sum = sum * Foundation.exp(largest - term) + 1
                                            largest = term
                                        } else if term - largest > -40 {
                                            // Smaller terms add under 1e-17 each: skipped.
                                            sum += Foundation.exp(term - largest)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return largest + Foundation.log(sum)
    }
    /// `logDensity` with integer coordinates: each kernel's mass on the value's cell there
    /// (two error functions per kernel and integer, as Optuna's discrete kernels).
    func logDensityWithCells(_ x: [Double]) -> Double {
        let dimensions = space.count
        let cells = (0..<dimensions).map { d -> (low: Double, high: Double) in
            isDiscrete[d] ? cell(x[d], d) : (x[d], x[d])
        }
        func numeric(_ d: Int, mean: Double, inverseSigma: Double) -> Double {
            if isDiscrete[d] {
                return Gaussian.logMass(
                    (cells[d].low - mean) * inverseSigma, (cells[d].high - mean) * inverseSigma)
            }
            let z = (x[d] - mean) * inverseSigma
            return -0.5 * z * z
        }
        var terms = [Double](repeating: 0, count: kernelCount + 1)
        for kernel in 0..<kernelCount {
            var term = kernelConstants[kernel]
            let base = kernel * dimensions
            for d in 0..<dimensions {
                if optionCounts[d] > 0 {
                    term += Int(x[d]) == Int(flatObservations[base + d]) ? hitLogs[d] : missLogs[d]
                } else {
                    term += numeric(
                        d, mean: flatObservations[base + d], inverseSigma: inverseSigmas[base + d])
                }
            }
            terms[kernel] = term
        }
        var prior = priorConstant
        for d in 0..<dimensions where optionCounts[d] == 0 {
            prior += numeric(d, mean: priorMeans[d], inverseSigma: 1 / priorSigmas[d])
        }
        terms[kernelCount] = prior
        return Gaussian.logSumExp(terms)
    }
}
