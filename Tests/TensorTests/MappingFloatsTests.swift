import Testing

@testable import Tensor

/// `mappingFloats`: the source read in place (or from a contiguous copy), the result a fresh
/// tensor, and nothing that shares the source's storage changed.
@Suite struct MappingFloatsTests {
    @Test func writesAFreshResultAndLeavesTheSourceAndItsSharersAlone() throws {
        let source = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let sharer = source
        var seen: [Float] = []
        let result = try source.mappingFloats { values, result, _ in
            seen = Array(values)
            for index in result.indices { result[index] = values[index] * 10 }
        }
        #expect(seen == [1, 2, 3, 4, 5, 6])
        #expect(result.shape == [2, 3])
        #expect(result.scalars == [10, 20, 30, 40, 50, 60])
        #expect(source.scalars == [1, 2, 3, 4, 5, 6])
        #expect(sharer.scalars == [1, 2, 3, 4, 5, 6])
        #expect(result.storage !== source.storage)
    }

    @Test func readsAStridedSourceInRowMajorOrder() throws {
        let source = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]).transposed()
        #expect(!source.isContiguous)
        let result = try source.mappingFloats { values, result, _ in
            _ = result.update(fromContentsOf: values)
        }
        #expect(result.shape == [3, 2])
        #expect(result.scalars == [1, 4, 2, 5, 3, 6])
    }

    @Test func refusesOtherDTypes() throws {
        let codes = try Tensor.filled(shape: [2], of: UInt8.self) { $0.update(repeating: 1) }
        #expect(throws: TensorError.self) { _ = try codes.mappingFloats { _, _, _ in } }
    }
}
