import Testing

@testable import Tensor

/// `mappingFloats` and `gatheringFloats`: the sources read in place (or from a contiguous copy),
/// the result a fresh tensor, and nothing that shares a source's storage changed.
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

    /// Several parts, read where they lie (a strided one from a copy), into one flat result.
    @Test func gatheringReadsEachPartInPlaceIntoOneFreshResult() throws {
        let first = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let strided = try Tensor([7, 8, 9, 10], shape: [2, 2]).transposed()
        let empty = try Tensor([Float](), shape: [0])
        var seen: [[Float]] = []
        var firstAddress: UnsafePointer<Float>?
        let result = try Tensor.gatheringFloats(of: [first, empty, strided]) { parts, result, _ in
            seen = parts.map(Array.init)
            firstAddress = parts.first?.baseAddress
            for (index, value) in parts.joined().enumerated() { result[index] = value * 10 }
        }
        #expect(seen == [[1, 2, 3, 4, 5, 6], [], [7, 9, 8, 10]])
        #expect(firstAddress == UnsafePointer(first.floats))
        #expect(result.shape == [10])
        #expect(result.scalars == [10, 20, 30, 40, 50, 60, 70, 90, 80, 100])
        #expect(first.scalars == [1, 2, 3, 4, 5, 6])
        #expect(throws: TensorError.self) {
            let codes = try Tensor.filled(shape: [2], of: UInt8.self) { $0.update(repeating: 1) }
            _ = try Tensor.gatheringFloats(of: [first, codes]) { _, _, _ in }
        }
    }
}
