import Testing

@testable import Tensor

/// Raw element access for kernels outside the module: reading in row-major order (views
/// included), filling new tensors, and the dtype check.
@Suite struct RawElementsTests {
    @Test func readsElementsInRowMajorOrderEvenFromAView() throws {
        let matrix = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        #expect(try matrix.withElements(of: Float.self) { Array($0) } == [1, 2, 3, 4, 5, 6])
        let transposed = try matrix.transposed()
        #expect(try transposed.withElements(of: Float.self) { Array($0) } == [1, 4, 2, 5, 3, 6])
    }

    @Test func fillsANewTensorOfTheGivenType() throws {
        let codes = try Tensor.filled(shape: [2, 2], of: Int8.self) { buffer in
            for index in buffer.indices { buffer[index] = Int8(index) - 2 }
        }
        #expect(codes.dtype == .int8 && codes.shape == [2, 2])
        #expect(try codes.scalars(as: Int8.self) == [-2, -1, 0, 1])
    }

    @Test func aWrongScalarTypeIsAnError() throws {
        let floats = try Tensor.zeros([3])
        #expect(throws: TensorError.self) { try floats.withElements(of: Int8.self) { $0.count } }
    }
}
