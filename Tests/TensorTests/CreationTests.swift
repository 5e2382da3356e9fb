import Testing

@testable import Tensor

@Suite struct CreationTests {
    @Test func uninitializedTensorsAreFilledInPlace() throws {
        let ramp = try Tensor(unsafeUninitializedShape: [2, 3]) { values in
            for index in values.indices { values[index] = Float(index) * 0.5 }
        }
        #expect(ramp.shape == [2, 3])
        #expect(ramp.dtype == .float32)
        #expect(ramp.scalars == [0, 0.5, 1, 1.5, 2, 2.5])
        var visited = -1
        let empty = try Tensor(unsafeUninitializedShape: [0, 4]) { visited = $0.count }
        #expect(empty.shape == [0, 4] && visited == 0)
        #expect(throws: TensorError.self) {
            try Tensor(unsafeUninitializedShape: [-1, 2]) { _ in }
        }
    }

    @Test func arrayInitializerKeepsRowMajorOrder() throws {
        let m = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        #expect(m.shape == [2, 3])
        #expect(m.strides == [3, 1])
        #expect(m.dtype == .float32)
        #expect(m.scalars == [1, 2, 3, 4, 5, 6])
    }

    @Test func integerArraysMakeIntegerTensors() throws {
        let labels = try Tensor([3, 1, 4] as [Int32], shape: [3])
        #expect(labels.dtype == .int32)
        #expect(try labels.scalars(as: Int32.self) == [3, 1, 4])
        let pixels = try Tensor([0, 128, 255] as [UInt8], shape: [3])
        #expect(pixels.dtype == .uint8)
        #expect(pixels.scalars == [0, 128, 255])
    }

    @Test func countMustMatchShape() {
        #expect(throws: TensorError.self) { try Tensor([1, 2, 3], shape: [2, 2]) }
        #expect(throws: TensorError.self) { try Tensor.zeros([2, -1]) }
    }

    @Test func filledTensors() throws {
        #expect(try Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
        #expect(try Tensor.ones([3]).scalars == [1, 1, 1])
        #expect(try Tensor.full([2], value: 2.5).scalars == [2.5, 2.5])
        #expect(try Tensor.full([2], value: 300, dtype: .uint8).scalars == [255, 255])
        #expect(try Tensor.eye(2).scalars == [1, 0, 0, 1])
    }

    @Test func scalarTensorHasRankZero() throws {
        let two = Tensor(2)
        #expect(two.shape == [])
        #expect(two.elementCount == 1)
        #expect(try two.scalarized() == 2)
    }

    @Test func arangeMatchesNumPy() throws {
        #expect(try Tensor.arange(0, 1, step: 0.25).scalars == [0, 0.25, 0.5, 0.75])
        #expect(try Tensor.arange(4).scalars == [0, 1, 2, 3])
        #expect(try Tensor.arange(3, 0, step: -1).scalars == [3, 2, 1])
        #expect(try Tensor.arange(1, 0).elementCount == 0)
        #expect(throws: TensorError.self) { try Tensor.arange(0, 1, step: 0) }
    }

    @Test func scalarizedNeedsOneElement() throws {
        #expect(throws: TensorError.self) { try Tensor([1, 2]).scalarized() }
    }

    @Test func emptyTensorsWork() throws {
        let empty = try Tensor.zeros([0, 3])
        #expect(empty.elementCount == 0)
        #expect(try (empty + 1).shape == [0, 3])
        #expect(try empty.sum().scalarized() == 0)
    }
}
