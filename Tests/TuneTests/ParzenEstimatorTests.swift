import Foundation
import Testing

@testable import Tune

/// The Parzen estimator's bandwidths, as Optuna 5 computes them: the larger gap to a
/// neighbour, the outermost observations looking inward, clipped to [range / min(100, n + 2),
/// range].
@Suite struct ParzenEstimatorTests {
    let space: [(name: String, distribution: Distribution)] = [
        ("x", .float(0...1, log: false)), ("kind", .choice(["a", "b"])),
    ]

    @Test func eachKernelTakesTheLargerGapToItsNeighbours() {
        // Sorted 0.1, 0.2, 0.6: the first looks inward (0.1, clipped up to 1/5), the middle
        // takes the larger gap (0.4), the last its inner gap (0.4); given out of order.
        let sigmas = ParzenEstimator.bandwidths(
            space: space, observations: [[0.6, 0], [0.1, 1], [0.2, 0]])
        let x = sigmas.map { $0[0] }
        #expect(zip(x, [0.4, 0.2, 0.4]).allSatisfy { abs($0 - $1) < 1e-12 })
        // A choice has no bandwidth.
        #expect(sigmas.allSatisfy { $0[1] == 0 })
        // One observation: the larger distance to a bound.
        let one = ParzenEstimator.bandwidths(space: space, observations: [[0.3, 0]])
        #expect(abs(one[0][0] - 0.7) < 1e-12)
    }

    @Test func crowdedObservationsKeepAFloorAndTheDensityStaysNormalized() {
        // 200 observations at nearly the same point: the floor is range / 100.
        let crowded = (0..<200).map { [0.5 + Double($0) * 1e-9, 0.0] }
        let sigmas = ParzenEstimator.bandwidths(space: space, observations: crowded)
        #expect(sigmas.allSatisfy { abs($0[0] - 0.01) < 1e-12 })
        // The mixture's density over x (option "a") integrates to its mass on "a".
        let estimator = ParzenEstimator(
            space: space, observations: [[0.1, 0], [0.2, 0], [0.6, 1]],
            weights: [1, 1, 1], priorWeight: 1)
        let steps = 20_000
        var total = 0.0
        for i in 0..<steps {
            let x = (Double(i) + 0.5) / Double(steps)
            total += exp(estimator.logDensity([x, 0])) + exp(estimator.logDensity([x, 1]))
        }
        #expect(abs(total / Double(steps) - 1) < 1e-3)
    }
}
