import Testing

@testable import Tensor

@Suite struct MatmulTests {
    let a: Tensor  // [2, 3]
    let b: Tensor  // [3, 2]

    init() throws {
        a = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        b = try Tensor([7, 8, 9, 10, 11, 12], shape: [3, 2])
    }

    @Test func matrixProductMatchesHandComputedValues() throws {
        let c = try a.matmul(b)
        #expect(c.shape == [2, 2])
        #expect(c.scalars == [58, 64, 139, 154])
    }

    @Test func transposedOperandsGoToBLASAsFlags() throws {
        let at = try a.transposed().contiguous()  // [3, 2], dense
        let bt = try b.transposed().contiguous()  // [2, 3], dense
        // at.T and bt.T are views; the product must equal a × b.
        #expect(try at.transposed().matmul(bt.transposed()).scalars == [58, 64, 139, 154])
        let view = try at.transposed()
        let operand = try BLASOperand(view)
        #expect(operand.isTransposed)
        #expect(operand.base == at.floats)
    }

    @Test func vectorOperands() throws {
        let v = try Tensor([1, 1, 1])
        #expect(try a.matmul(v).scalars == [6, 15])
        #expect(try a.matmul(v).shape == [2])
        #expect(try Tensor([1, 1]).matmul(a).scalars == [5, 7, 9])
    }

    @Test func batchedProductBroadcastsBatchDimensions() throws {
        let batch = try Tensor.arange(12).reshaped([2, 2, 3])  // two 2×3 matrices
        let c = try batch.matmul(b)
        #expect(c.shape == [2, 2, 2])
        let first = try Tensor([0, 1, 2, 3, 4, 5], shape: [2, 3]).matmul(b).scalars
        let second = try Tensor([6, 7, 8, 9, 10, 11], shape: [2, 3]).matmul(b).scalars
        #expect(c.scalars == first + second)
        let pairs = try Tensor.arange(12).reshaped([2, 3, 2])
        #expect(try batch.matmul(pairs).shape == [2, 2, 2])
    }

    @Test func innerDimensionMismatchIsAnError() throws {
        do {
            _ = try a.matmul(a)
            Issue.record("expected a shape mismatch")
        } catch {
            #expect(
                error.description
                    == "matmul: shapes [2, 3] and [2, 3] do not match (inner dimensions 3 and 2 differ)"
            )
        }
        #expect(throws: TensorError.self) { try Tensor(1).matmul(a) }
    }

    @Test func emptyInnerDimensionGivesZeros() throws {
        let left = try Tensor.zeros([2, 0])
        let right = try Tensor.zeros([0, 3])
        #expect(try left.matmul(right).scalars == [0, 0, 0, 0, 0, 0])
    }
}
