import Testing

@testable import Tensor

@Suite struct DescriptionTests {
    @Test func smallMatrixPrintsAllValuesAligned() throws {
        let m = try Tensor([1, 2, 3, 4.5, -5, 60], shape: [2, 3])
        #expect(
            m.description == """
                tensor([[ 1.0,  2.0,  3.0],
                        [ 4.5, -5.0, 60.0]], shape: [2, 3], dtype: float32)
                """)
    }

    @Test func scalarsAndIntegers() throws {
        #expect(Tensor(2.25).description == "tensor(2.25, shape: [], dtype: float32)")
        let labels = try Tensor([3, 10] as [Int32], shape: [2])
        #expect(labels.description == "tensor([ 3, 10], shape: [2], dtype: int32)")
    }

    @Test func bigTensorsAreAbbreviated() throws {
        let big = try Tensor.arange(2000).reshaped([2, 1000])
        #expect(
            big.description == """
                tensor([[   0.0,    1.0,    2.0, ...,  997.0,  998.0,  999.0],
                        [1000.0, 1001.0, 1002.0, ..., 1997.0, 1998.0, 1999.0]], \
                shape: [2, 1000], dtype: float32)
                """)
    }

    @Test func rankThreeSeparatesBlocksWithABlankLine() throws {
        let cube = try Tensor.arange(8).reshaped([2, 2, 2])
        #expect(
            cube.description == """
                tensor([[[0.0, 1.0],
                         [2.0, 3.0]],

                        [[4.0, 5.0],
                         [6.0, 7.0]]], shape: [2, 2, 2], dtype: float32)
                """)
    }
}
