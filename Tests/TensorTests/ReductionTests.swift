import Testing

@testable import Tensor

@Suite struct ReductionTests {
    let matrix: Tensor

    init() throws {
        matrix = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    }

    @Test func sumAlongAxes() throws {
        #expect(try matrix.sum().scalarized() == 21)
        #expect(try matrix.sum().shape == [])
        #expect(try matrix.sum(alongAxes: [0]).scalars == [5, 7, 9])
        #expect(try matrix.sum(alongAxes: [1]).scalars == [6, 15])
        #expect(try matrix.sum(alongAxes: [-1], keepDims: true).shape == [2, 1])
        #expect(try matrix.sum(alongAxes: [0, 1], keepDims: true).shape == [1, 1])
        #expect(throws: TensorError.self) { try matrix.sum(alongAxes: [2]) }
        #expect(throws: TensorError.self) { try matrix.sum(alongAxes: [0, -2]) }
    }

    @Test func sumOfAStridedView() throws {
        let t = try matrix.transposed()
        #expect(try t.sum(alongAxes: [1]).scalars == [5, 7, 9])
        #expect(try t.sum(alongAxes: [0]).scalars == [6, 15])
    }

    @Test func sumsOfEmptyTensors() throws {
        // An outer dimension of 0 once trapped (a remainder by zero while walking no rows).
        #expect(try Tensor.ones([0, 0]).sum().scalarized() == 0)
        #expect(try Tensor.ones([0, 3]).sum(alongAxes: [0]).scalars == [0, 0, 0])
        #expect(try Tensor.ones([0, 2, 0]).sum().scalarized() == 0)
    }

    @Test func meanAlongAxes() throws {
        #expect(try matrix.mean().scalarized() == 3.5)
        expectClose(try matrix.mean(alongAxes: [0]).scalars, [2.5, 3.5, 4.5])
        expectClose(try matrix.mean(alongAxes: [1], keepDims: true).scalars, [2, 5])
    }

    @Test func longSumsKeepPrecision() throws {
        let ones = try Tensor.full([1_000_001], value: 0.1)
        #expect(Swift.abs(try ones.sum().scalarized() - 100_000.1) < 0.05)
    }
}
