import Testing

@testable import Tensor

@Suite struct HostileArgumentTests {
    @Test func hugeOrExtremeArgumentsAreErrorsNotTraps() throws {
        let m = try Tensor.arange(12).reshaped([3, 4])
        #expect(try m[.range(0, nil, step: Int.max)].shape == [1, 4])
        #expect(try m[.range(nil, nil, step: Int.min + 1)].scalars == [8, 9, 10, 11])
        #expect(throws: TensorError.self) { try m[.range(0, nil, step: Int.min)] }
        #expect(throws: TensorError.self) { try m[.index(Int.min)] }
        #expect(throws: TensorError.self) { try m[TensorIndex(0...Int.max)] }
        #expect(throws: TensorError.self) { try Tensor(1).broadcast(to: [1 << 40, 1 << 40]) }
        #expect(try m.variance(correction: Int.min).scalarized() >= 0)
        let images = try Tensor.zeros([1, 1, 4, 4])
        #expect(throws: TensorError.self) {
            try images.conv2d(weight: Tensor.zeros([1, 1, 1, 1]), padding: Size2D(Int.max))
        }
        #expect(throws: TensorError.self) {
            try images.conv2d(weight: Tensor.zeros([1, 1, 1, 1]), dilation: Size2D(Int.max))
        }
        #expect(throws: TensorError.self) { try images.maxPool2d(kernel: Size2D(Int.max)) }
        #expect(m.formatted(threshold: 0, edgeItems: Int.max).contains("11.0"))
    }
}
