import Testing

@testable import Tensor

@Suite struct LayoutTests {
    let matrix: Tensor

    init() throws {
        matrix = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    }

    @Test func reshapeOfContiguousDataSharesStorage() throws {
        let reshaped = try matrix.reshaped([3, 2])
        #expect(reshaped.storage === matrix.storage)
        #expect(reshaped.scalars == [1, 2, 3, 4, 5, 6])
        #expect(try matrix.reshaped([-1]).shape == [6])
        #expect(try matrix.reshaped([3, -1]).shape == [3, 2])
        #expect(throws: TensorError.self) { try matrix.reshaped([4, -1]) }
        #expect(throws: TensorError.self) { try matrix.reshaped([5]) }
        #expect(throws: TensorError.self) { try matrix.reshaped([-1, -1]) }
    }

    @Test func transposeIsAViewWithSwappedStrides() throws {
        let t = try matrix.transposed()
        #expect(t.shape == [3, 2])
        #expect(t.strides == [1, 3])
        #expect(t.storage === matrix.storage)
        #expect(!t.isContiguous)
        #expect(t.scalars == [1, 4, 2, 5, 3, 6])
        let dense = try t.contiguous()
        #expect(dense.isContiguous)
        #expect(dense.scalars == [1, 4, 2, 5, 3, 6])
        #expect(try t.reshaped([6]).scalars == [1, 4, 2, 5, 3, 6])
    }

    @Test func permuteReordersAxes() throws {
        let cube = try Tensor.arange(24).reshaped([2, 3, 4])
        let p = try cube.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        // p[i, j, k] = cube[j, k, i] = 12 j + 4 k + i
        #expect(p.scalars[0..<6] == [0, 4, 8, 12, 16, 20])
        #expect(throws: TensorError.self) { try cube.permuted([0, 0, 1]) }
        #expect(throws: TensorError.self) { try cube.permuted([0, 1]) }
        #expect(throws: TensorError.self) { try cube.transposed(0, 3) }
        #expect(try cube.transposed(-1, -2).shape == [2, 4, 3])
    }

    @Test func squeezeAndExpand() throws {
        let expanded = try matrix.expandingShape(at: 1)
        #expect(expanded.shape == [2, 1, 3])
        #expect(try matrix.expandingShape(at: -1).shape == [2, 3, 1])
        #expect(try matrix.expandingShape(at: 0).shape == [1, 2, 3])
        #expect(try expanded.squeezed().shape == [2, 3])
        #expect(try expanded.squeezed(alongAxes: [1]).scalars == matrix.scalars)
        #expect(throws: TensorError.self) { try expanded.squeezed(alongAxes: [0]) }
        #expect(throws: TensorError.self) { try matrix.expandingShape(at: 3) }
    }

    @Test func broadcastRepeatsWithoutCopying() throws {
        let row = try Tensor([1, 2, 3])
        let b = try row.broadcast(to: [2, 3])
        #expect(b.strides == [0, 1])
        #expect(b.scalars == [1, 2, 3, 1, 2, 3])
        #expect(throws: TensorError.self) { try row.broadcast(to: [3, 2]) }
        #expect(throws: TensorError.self) { try matrix.broadcast(to: [3]) }
    }

    @Test func flattenKeepsTheBatchAxis() throws {
        let images = try Tensor.zeros([4, 1, 28, 28])
        #expect(try images.flattened().shape == [4, 784])
        #expect(try images.flattened(from: 0).shape == [3136])
    }
}
