import Testing

@testable import Tensor

@Suite struct ArithmeticTests {
    let matrix: Tensor
    let row: Tensor

    init() throws {
        matrix = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        row = try Tensor([10, 20, 30])
    }

    @Test func elementwiseOperatorsBroadcastARow() throws {
        #expect(try (matrix + row).scalars == [11, 22, 33, 14, 25, 36])
        #expect(try (matrix - row).scalars == [-9, -18, -27, -6, -15, -24])
        #expect(try (matrix * row).scalars == [10, 40, 90, 40, 100, 180])
        expectClose(try (row / matrix).scalars, [10, 10, 10, 2.5, 4, 5])
    }

    @Test func columnAndRowBroadcastToAMatrix() throws {
        let column = try Tensor([1, 2], shape: [2, 1])
        let sum = try column + row
        #expect(sum.shape == [2, 3])
        #expect(sum.scalars == [11, 21, 31, 12, 22, 32])
    }

    @Test func scalarOperands() throws {
        #expect(try (matrix * 2 + 1).scalars == [3, 5, 7, 9, 11, 13])
        #expect(try (1 - matrix).scalars == [0, -1, -2, -3, -4, -5])
        #expect(try (-matrix).scalars == [-1, -2, -3, -4, -5, -6])
        #expect(try (12 / row).scalars == [1.2, 0.6, 0.4])
    }

    @Test func stridedOperandsGiveRowMajorResults() throws {
        let t = try matrix.transposed()  // [[1, 4], [2, 5], [3, 6]]
        #expect(try (t + t).scalars == [2, 8, 4, 10, 6, 12])
        #expect(try (t * Tensor([1, 10])).scalars == [1, 40, 2, 50, 3, 60])
    }

    @Test func mismatchedShapesNameTheOpAndBothShapes() throws {
        do {
            _ = try matrix + Tensor([1, 2])
            Issue.record("expected a shape mismatch")
        } catch {
            #expect(
                error.description
                    == "add: shapes [2, 3] and [2] do not match "
                    + "(cannot broadcast dimension 3 against 2)")
        }
    }

    @Test func integerTensorsAreRejectedByFloatOps() throws {
        let labels = try Tensor([1, 2] as [Int32], shape: [2])
        #expect(throws: TensorError.self) { try labels + labels }
    }

    @Test func divisionByZeroFollowsIEEE() throws {
        let result = try Tensor([1, -1, 0]) / 0
        #expect(result.scalars[0] == .infinity)
        #expect(result.scalars[1] == -.infinity)
        #expect(result.scalars[2].isNaN)
    }

    @Test func largeTensorsSplitAcrossThreadsGiveTheSameResult() throws {
        var generator = RandomGenerator(seed: 3)
        let a = try Tensor.uniform([300, 1000], using: &generator)
        let b = try Tensor.uniform([1000], using: &generator)
        let sum = try a + b
        let aValues = a.scalars
        let bValues = b.scalars
        let values = sum.scalars
        for index in stride(from: 0, to: values.count, by: 997) {
            #expect(values[index] == aValues[index] + bValues[index % 1000])
        }
    }

    @Test func inPlaceUpdatesDoNotAffectCopies() throws {
        var weight = try Tensor([1, 2, 3])
        let copy = weight
        try weight.addScaled(Tensor([1, 1, 1]), by: -0.5)
        #expect(weight.scalars == [0.5, 1.5, 2.5])
        #expect(copy.scalars == [1, 2, 3])
        try weight.scale(by: 2)
        #expect(weight.scalars == [1, 3, 5])
        try weight.assign(Tensor(7))
        #expect(weight.scalars == [7, 7, 7])
        #expect(throws: TensorError.self) { try weight.addScaled(Tensor([1, 2]), by: 1) }
    }
}
