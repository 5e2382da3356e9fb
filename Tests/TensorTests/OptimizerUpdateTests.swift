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
