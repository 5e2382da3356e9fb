import Foundation
import Tensor

/// The standard normal distribution's functions, as the samplers need them.
enum Gaussian {
    static let logRootTwoPi = 0.5 * Foundation.log(2 * Double.pi)

    /// log φ(z).
    static func logDensity(_ z: Double) -> Double { -0.5 * z * z - logRootTwoPi }

    /// φ(z).
    static func density(_ z: Double) -> Double { Foundation.exp(logDensity(z)) }

    /// Φ(z).
    static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// log(Φ(b) − Φ(a)) for a < b, computed on the side where it does not cancel.
    static func logMass(_ a: Double, _ b: Double) -> Double {
        let mass = a > 0 ? cdf(-a) - cdf(-b) : cdf(b) - cdf(a)
        return Foundation.log(max(mass, 1e-300))
    }

    /// A draw from normal(μ, σ) truncated to [low, high] (rejection, then clamping).
    static func sampleTruncated(
        mean: Double, sigma: Double, low: Double, high: Double, _ generator: inout RandomGenerator
    ) -> Double {
        for _ in 0..<64 {
            let x = mean + sigma * SamplerRandom.normal(&generator)
            if x >= low && x <= high { return x }
        }
        return low + SamplerRandom.uniform(&generator) * (high - low)
    }

    /// log Σ exp(values), stable.
    static func logSumExp(_ values: [Double]) -> Double {
        guard let largest = values.max(), largest.isFinite else {
            return values.max() ?? -.infinity
        }
        return largest + Foundation.log(values.reduce(0) { $0 + Foundation.exp($1 - largest) })
    }
}
