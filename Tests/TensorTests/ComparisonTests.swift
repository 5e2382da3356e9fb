import Testing

@testable import Tensor

@Suite struct ComparisonTests {
    let x: Tensor
    let y: Tensor

    init() throws {
        x = try Tensor([1, 5, 3])
        y = try Tensor([2, 5, 1])
    }

    @Test func comparisonsGiveFloatMasks() throws {
        #expect(try (x .< y).scalars == [1, 0, 0])
        #expect(try (x .<= y).scalars == [1, 1, 0])
        #expect(try (x .> y).scalars == [0, 0, 1])
        #expect(try (x .>= y).scalars == [0, 1, 1])
        #expect(try (x .== y).scalars == [0, 1, 0])
        #expect(try (x .!= y).scalars == [1, 0, 1])
        #expect(try (x .> 2).scalars == [0, 1, 1])
        #expect(try (x .== y).dtype == .float32)
    }

    @Test func whereSelectsAndBroadcasts() throws {
        #expect(try Tensor.where(x .> 2, x, Tensor(0)).scalars == [0, 5, 3])
        let labels = try Tensor([1, 0, 1] as [Int32], shape: [3])
        #expect(try Tensor.where(labels, x, y).scalars == [1, 5, 3])
    }

    @Test func elementwiseExtremaAndClamp() throws {
        #expect(try x.maximum(y).scalars == [2, 5, 3])
        #expect(try x.minimum(y).scalars == [1, 5, 1])
        #expect(try x.clamped(min: 2, max: 4).scalars == [2, 4, 3])
        #expect(try x.clamped(max: 2).scalars == [1, 2, 2])
        #expect(throws: TensorError.self) { try x.clamped(min: 3, max: 1) }
    }

    @Test func gradients() throws {
        let a = try sample([2, 3], seed: 21)
        let b = try sample([2, 3], seed: 22)
        let condition = try Tensor([1, 0, 1, 0, 0, 1], shape: [2, 3])
        try checkGradients(at: [a, b]) { p in try Tensor.where(condition, p[0], p[1]) }
        try checkGradients(at: [a, b]) { p in try p[0].maximum(p[1]) }
        try checkGradients(at: [a, b]) { p in try p[0].minimum(p[1]) }
        try checkGradients(at: [a]) { p in try p[0].clamped(min: -0.5, max: 0.55) }
        let row = try sample([3], seed: 23)
        try checkGradients(at: [a, row]) { p in try Tensor.where(condition, p[0], p[1]) }
    }

    @Test func tiesSplitTheGradientOfMaximum() throws {
        let g = try gradient(at: [Tensor([2]), Tensor([2])]) { p in try p[0].maximum(p[1]).sum() }
        #expect(g.map(\.scalars) == [[0.5], [0.5]])
    }
}
