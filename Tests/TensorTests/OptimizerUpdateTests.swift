import Testing

@testable import Tensor

@Suite struct OptimizerUpdateTests {
    let g: Tensor

    init() throws {
        g = try Tensor([2, -4, 0])
    }

    @Test func movingAverages() throws {
        var m = try Tensor([1, 1, 1])
        try m.lerp(toward: g, weight: 0.1)  // 0.9 m + 0.1 g
        expectClose(m.scalars, [1.1, 0.5, 0.9])
        var v = try Tensor([1, 1, 1])
        try v.lerpSquared(toward: g, weight: 0.5)  // 0.5 v + 0.5 g²
        expectClose(v.scalars, [2.5, 8.5, 0.5])
    }

    @Test func adamStyleStep() throws {
        var w = try Tensor([1, 1, 1])
        let v = try Tensor([4, 16, 1])
        try w.addScaledQuotient(g, overRootOf: v, by: -0.5, epsilon: 0)
        expectClose(w.scalars, [0.5, 1.5, 1])
    }

    /// The three Adam passes, the reference for the fused step.
    private func threePassAdam(
        _ w: inout Tensor, _ g: Tensor, _ m: inout Tensor, _ v: inout Tensor
    ) throws {
        try m.lerp(toward: g, weight: 0.1)
        try v.lerpSquared(toward: g, weight: 0.001)
        try w.addScaledQuotient(m, overRootOf: v, by: -0.01, epsilon: 1e-8)
    }

    /// The fused Adam step on `w` with the same settings as `threePassAdam`.
    private func fusedAdam(
        _ w: inout Tensor, _ g: Tensor, _ m: inout Tensor, _ v: inout Tensor
    ) throws {
        try w.addAdamStep(
            gradient: g, firstMoment: &m, secondMoment: &v, firstWeight: 0.1,
            secondWeight: 0.001, scale: -0.01, epsilon: 1e-8)
    }

    @Test(arguments: [[3], [300, 257]])
    func fusedAdamStepEqualsThePasses(shape: [Int]) throws {
        // [300, 257] is above the parallel threshold, so the chunked path runs too.
        var rng = RandomGenerator(seed: 7)
        let g = try Tensor.uniform(shape, low: -1, high: 1, using: &rng)
        let w0 = try Tensor.uniform(shape, low: -1, high: 1, using: &rng)
        let m0 = try Tensor.uniform(shape, low: -0.1, high: 0.1, using: &rng)
        let v0 = try Tensor.uniform(shape, low: 0, high: 0.01, using: &rng)
        var (w, m, v) = (w0, m0, v0)
        var (fw, fm, fv) = (w0, m0, v0)
        for _ in 0..<2 {
            try threePassAdam(&w, g, &m, &v)
            try fusedAdam(&fw, g, &fm, &fv)
        }
        #expect(fw.scalars == w.scalars)
        #expect(fm.scalars == m.scalars)
        #expect(fv.scalars == v.scalars)
        // The copies the steps started from are untouched (copy on write).
        #expect(w.scalars != w0.scalars)
        #expect(m.scalars != m0.scalars)
    }

    @Test func fusedAdamStepWithABroadcastGradientTakesThePasses() throws {
        let g = try Tensor([0.5, -2, 1])
        let start = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        var (w, m, v) = (start, try Tensor.zeros([2, 3]), try Tensor.ones([2, 3]))
        var (fw, fm, fv) = (w, m, v)
        try threePassAdam(&w, g, &m, &v)
        try fusedAdam(&fw, g, &fm, &fv)
        #expect(fw.scalars == w.scalars)
        #expect(fm.scalars == m.scalars)
        #expect(fv.scalars == v.scalars)
        var wrong = try Tensor.zeros([3])
        #expect(throws: TensorError.self) { try fusedAdam(&fw, g, &wrong, &fv) }
        #expect(throws: TensorError.self) {
            try fusedAdam(&fw, Tensor([1, 2]), &fm, &fv)
        }
    }

    @Test func productsSignsMaximaAndClamping() throws {
        var sum = try Tensor([1, 1, 1])
        try sum.addScaledProduct(g, g, by: 1)
        #expect(sum.scalars == [5, 17, 1])
        var w = try Tensor([1, 1, 1])
        try w.addScaledSign(of: g, by: -0.1)
        expectClose(w.scalars, [0.9, 1.1, 1])
        var peak = try Tensor([3, -5, -1])
        try peak.formMaximum(with: g)
        #expect(peak.scalars == [3, -4, 0])
        var clipped = g
        try clipped.formClamped(min: -1, max: 1)
        #expect(clipped.scalars == [1, -1, 0])
        #expect(g.scalars == [2, -4, 0])
    }

    @Test func lionSignOfAnInterpolation() throws {
        // direction = m + 0.5·(g − m) = [1.5, −1.5, 0] for m = [1, 1, 0].
        var w = try Tensor([1, 1, 1])
        try w.addScaledSign(ofLerpFrom: Tensor([1, 1, 0]), toward: g, weight: 0.5, by: -0.1)
        expectClose(w.scalars, [0.9, 1.1, 1])
    }

    @Test func adadeltaRootRatio() throws {
        // [2, −4, 0] · √(u + 1) / √(v + 1) with u = [3, 0, 8], v = [0, 3, 0].
        var delta = g
        try delta.multiplyByRootRatio(of: Tensor([3, 0, 8]), over: Tensor([0, 3, 0]), epsilon: 1)
        expectClose(delta.scalars, [4, -2, 0])
        #expect(g.scalars == [2, -4, 0])
    }

    @Test func updatesCheckShapes() throws {
        var w = try Tensor([1, 1, 1])
        #expect(throws: TensorError.self) { try w.lerp(toward: Tensor([1, 2]), weight: 0.1) }
        #expect(throws: TensorError.self) { try w.formClamped(min: 1, max: 0) }
        try w.lerp(toward: Tensor(3), weight: 0.5)
        #expect(w.scalars == [2, 2, 2])
    }

    @Test func updatingAViewCopiesItFirst() throws {
        let base = try Tensor.arange(6).reshaped([2, 3])
        var column = try base[.all, 1]
        try column.addScaled(Tensor([10, 10]), by: 1)
        #expect(column.scalars == [11, 14])
        #expect(base.scalars == [0, 1, 2, 3, 4, 5])
    }
}
