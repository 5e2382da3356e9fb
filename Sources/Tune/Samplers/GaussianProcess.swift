import Foundation

/// Gaussian-process regression with a Matérn-5/2 kernel (automatic relevance determination:
/// one length scale per coordinate; on a choice coordinate the distance is 0 for the same
/// option and 1 otherwise), its hyperparameters — length scales, signal variance, noise —
/// fitted by maximizing the log marginal likelihood plus weak log-normal priors (Rasmussen &
/// Williams, 2006, "Gaussian Processes for Machine Learning", ch. 5), with Nelder–Mead in the
/// log domain. Inputs are in [0, 1] per numeric coordinate; targets are standardized.
struct GaussianProcess {
    let inputs: [[Double]]
    let categorical: [Bool]
    /// log length scales, then log signal variance, then log noise variance.
    let parameters: [Double]
    let lowerCholesky: [Double]
    let alpha: [Double]
    /// 1/ℓ² per coordinate and the signal variance, from `parameters`.
    let scales: [Double]
    let variance: Double

    /// Fits the hyperparameters and factors the kernel matrix.
    init?(inputs: [[Double]], targets: [Double], categorical: [Bool], evaluations: Int = 160) {
        guard !inputs.isEmpty else { return nil }
        let d = categorical.count
        let start = [Double](repeating: Foundation.log(0.5), count: d) + [0, Foundation.log(1e-3)]
        let objective = { (theta: [Double]) -> Double in
            -Self.logPosterior(theta, inputs: inputs, targets: targets, categorical: categorical)
        }
        let fitted = NelderMead.minimize(
            objective, from: start, step: 0.7, evaluations: evaluations)
        guard
            let factor = Self.factor(
                fitted, inputs: inputs, targets: targets, categorical: categorical)
        else { return nil }
        self.inputs = inputs
        self.categorical = categorical
        parameters = fitted
        scales = Self.inverseSquaredScales(fitted, d)
        variance = Foundation.exp(fitted[d])
        lowerCholesky = factor.lower
        alpha = factor.alpha
    }

    /// The posterior mean and variance at `x`.
    func predict(_ x: [Double]) -> (mean: Double, variance: Double) {
        let n = inputs.count
        let k = inputs.map { Self.kernel($0, x, scales, variance, categorical) }
        var mean = 0.0
        for i in 0..<n { mean += k[i] * alpha[i] }
        // v = L⁻¹ k; variance = k(x, x) − vᵀv.
        var v = k
        for i in 0..<n {
            var sum = v[i]
            for j in 0..<i { sum -= lowerCholesky[i * n + j] * v[j] }
            v[i] = sum / lowerCholesky[i * n + i]
        }
        let posterior = variance - v.reduce(0) { $0 + $1 * $1 }
        return (mean, max(posterior, 1e-12))
    }

    // MARK: - Kernel and likelihood

    /// 1/ℓ² per coordinate, from the log length scales.
    static func inverseSquaredScales(_ theta: [Double], _ dimensions: Int) -> [Double] {
        (0..<dimensions).map { Foundation.exp(-2 * theta[$0]) }
    }

    static func kernel(
        _ a: [Double], _ b: [Double], _ inverseSquaredScales: [Double], _ variance: Double,
        _ categorical: [Bool]
    ) -> Double {
        var r2 = 0.0
        for d in categorical.indices {
            let difference = categorical[d] ? (a[d] == b[d] ? 0 : 1) : a[d] - b[d]
            r2 += difference * difference * inverseSquaredScales[d]
        }
        let r = (5 * r2).squareRoot()
        return variance * (1 + r + r * r / 3) * Foundation.exp(-r)
    }

    static func factor(
        _ theta: [Double], inputs: [[Double]], targets: [Double], categorical: [Bool]
    ) -> (lower: [Double], alpha: [Double], logDeterminantHalf: Double)? {
        let n = inputs.count
        let noise = Foundation.exp(theta[categorical.count + 1]) + 1e-8
        let scales = inverseSquaredScales(theta, categorical.count)
        let variance = Foundation.exp(theta[categorical.count])
        var matrix = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                let value = kernel(inputs[i], inputs[j], scales, variance, categorical)
                matrix[i * n + j] = value
                matrix[j * n + i] = value
            }
            matrix[i * n + i] += noise
        }
        guard let lower = Cholesky.factor(matrix, n) else { return nil }
        let alpha = Cholesky.solve(lower, n, targets)
        var logDeterminantHalf = 0.0
        for i in 0..<n { logDeterminantHalf += Foundation.log(lower[i * n + i]) }
        return (lower, alpha, logDeterminantHalf)
    }

    static func logPosterior(
        _ theta: [Double], inputs: [[Double]], targets: [Double], categorical: [Bool]
    ) -> Double {
        guard theta.allSatisfy({ $0.isFinite && abs($0) < 20 }),
            let factor = factor(theta, inputs: inputs, targets: targets, categorical: categorical)
        else { return -.infinity }
        var fit = 0.0
        for i in targets.indices { fit += targets[i] * factor.alpha[i] }
        var prior = 0.0
        for d in categorical.indices {
            prior -= 0.5 * pow((theta[d] - Foundation.log(0.5)) / 1.5, 2)
        }
        prior -= 0.5 * pow(theta[categorical.count] / 1.5, 2)
        prior -= 0.5 * pow((theta[categorical.count + 1] - Foundation.log(1e-3)) / 3, 2)
        return -0.5 * fit - factor.logDeterminantHalf + prior
    }
}

/// The Cholesky factorization of a symmetric positive-definite matrix (row-major, n × n).
enum Cholesky {
    /// The lower factor L with A = L·Lᵀ, or nil when A is not positive definite.
    static func factor(_ a: [Double], _ n: Int) -> [Double]? {
        guard a.count == n * n else { return nil }
        var l = [Double](repeating: 0, count: n * n)
        let positive = l.withUnsafeMutableBufferPointer { l in
            a.withUnsafeBufferPointer { a in
                for i in 0..<n {
                    for j in 0...i {
                        var sum = a[i * n + j]
                        for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                        if i == j {
                            guard sum > 0, sum.isFinite else { return false }
                            l[i * n + i] = sum.squareRoot()
                        } else {
                            l[i * n + j] = sum / l[j * n + j]
                        }
                    }
                }
                return true
            }
        }
        return positive ? l : nil
    }

    /// x with L·Lᵀ·x = b.
    static func solve(_ l: [Double], _ n: Int, _ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<n {
            var sum = y[i]
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        var x = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = x[i]
            for k in (i + 1)..<max(n, i + 1) { sum -= l[k * n + i] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        return x
    }
}

/// The Nelder–Mead simplex method (Nelder & Mead, 1965), for small smooth-enough problems.
enum NelderMead {
    static func minimize(
        _ f: ([Double]) -> Double, from start: [Double], step: Double, evaluations: Int
    ) -> [Double] {
        let d = start.count
        var simplex = [start]
        for i in 0..<d {
            var point = start
            point[i] += step
            simplex.append(point)
        }
        var values = simplex.map(f)
        var used = simplex.count
        func value(_ x: Double) -> Double { x.isNaN ? .infinity : x }
        while used < evaluations {
            let order = values.indices.sorted { value(values[$0]) < value(values[$1]) }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            let centroid = (0..<d).map { k in
                simplex.dropLast().reduce(0) { $0 + $1[k] } / Double(d)
            }
            func along(_ t: Double) -> [Double] {
                (0..<d).map { centroid[$0] + t * (simplex[d][$0] - centroid[$0]) }
            }
            let reflected = along(-1)
            let reflectedValue = f(reflected)
            used += 1
            if value(reflectedValue) < value(values[0]) {
                let expanded = along(-2)
                let expandedValue = f(expanded)
                used += 1
                if value(expandedValue) < value(reflectedValue) {
                    (simplex[d], values[d]) = (expanded, expandedValue)
                } else {
                    (simplex[d], values[d]) = (reflected, reflectedValue)
                }
            } else if value(reflectedValue) < value(values[d - 1 < 0 ? 0 : d - 1]) {
                (simplex[d], values[d]) = (reflected, reflectedValue)
            } else {
                let contracted = along(0.5)
                let contractedValue = f(contracted)
                used += 1
                if value(contractedValue) < value(values[d]) {
                    (simplex[d], values[d]) = (contracted, contractedValue)
                } else {
                    for i in 1...d {
                        simplex[i] = (0..<d).map {
                            simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0])
                        }
                        values[i] = f(simplex[i])
                    }
                    used += d
                }
            }
        }
        let best = values.indices.min { value(values[$0]) < value(values[$1]) } ?? 0
        return simplex[best]
    }
}
