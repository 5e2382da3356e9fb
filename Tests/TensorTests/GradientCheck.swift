import Testing

@testable import Tensor

/// Checks autodiff against central finite differences.
///
/// The function's output is reduced to a scalar with fixed, unequal weights (so every output
/// element and its position matter), and each input element is nudged by ±`step`:
/// numeric = (L(x + h) − L(x − h)) / 2h. In Float32 that estimate carries two errors: rounding,
/// about ε·|L| / h (ε ≈ 6e-8), and truncation, about h²·|L'''| / 6. A step of 1e-2 on inputs of
/// order 1 keeps both near 1e-4 relative to the gradient, so the check allows an absolute error
/// of 2e-3 plus 2 % of the larger magnitude: loose enough for Float32, tight enough to catch a
/// wrong factor, sign or missing term. Inputs must stay away from kinks (relu, abs at 0) by more
/// than the step; the helpers below draw them that way.
func checkGradients(
    at points: [Tensor], step: Float = 1e-2, absoluteTolerance: Float = 2e-3,
    relativeTolerance: Float = 2e-2, sourceLocation: SourceLocation = #_sourceLocation,
    of function: ([Tensor]) throws -> Tensor
) throws {
    var weightGenerator = RandomGenerator(seed: 7)
    let probe = try withoutGradient { try function(points) }
    let weights = try Tensor.uniform(probe.shape, low: 0.5, high: 1.5, using: &weightGenerator)
    func loss(_ inputs: [Tensor]) throws -> Tensor { try (function(inputs) * weights).sum() }

    let analytic = try gradient(at: points, of: loss)
    for (pointIndex, point) in points.enumerated() {
        #expect(analytic[pointIndex].shape == point.shape, sourceLocation: sourceLocation)
        let values = point.scalars
        let computed = analytic[pointIndex].scalars
        for element in values.indices {
            func lossWith(_ delta: Float) throws -> Double {
                var nudged = values
                nudged[element] += delta
                var inputs = points
                inputs[pointIndex] = try Tensor(nudged, shape: point.shape)
                return Double(try withoutGradient { try loss(inputs) }.scalarized())
            }
            let numeric = Float((try lossWith(step) - lossWith(-step)) / (2 * Double(step)))
            let difference = Swift.abs(numeric - computed[element])
            let scale = max(Swift.abs(numeric), Swift.abs(computed[element]))
            #expect(
                difference <= absoluteTolerance + relativeTolerance * scale,
                "input \(pointIndex) element \(element): autodiff \(computed[element]), finite differences \(numeric)",
                sourceLocation: sourceLocation)
        }
    }
}

/// A tensor of well-conditioned test values: magnitudes in [0.2, 1.2), random signs unless
/// `positive`, so no element is within a finite-difference step of 0.
func sample(_ shape: [Int], seed: UInt64, positive: Bool = false) throws -> Tensor {
    var generator = RandomGenerator(seed: seed)
    let magnitudes = try Tensor.uniform(shape, low: 0.2, high: 1.2, using: &generator)
    if positive { return magnitudes }
    let signs = try Tensor.bernoulli(shape, probability: 0.5, using: &generator) * 2 - 1
    return try magnitudes * signs
}

/// A tensor of distinct values at least 0.05 apart (a shuffled arithmetic sequence), for ops
/// that pick one element (max, max pooling): nudging any element by a finite-difference step
/// cannot change which one is picked.
func distinctSample(_ shape: [Int], seed: UInt64) throws -> Tensor {
    var generator = RandomGenerator(seed: seed)
    let count = shape.reduce(1, *)
    let values = (0..<count).map { Float($0) * 0.05 - Float(count) * 0.025 }
    return try Tensor(values.shuffled(using: &generator), shape: shape)
}

/// Expects `actual` to equal `expected` elementwise within `tolerance`.
func expectClose(
    _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        #expect(
            Swift.abs(a - e) <= tolerance * max(1, Swift.abs(e)),
            "element \(index): \(a) vs expected \(e)", sourceLocation: sourceLocation)
    }
}
