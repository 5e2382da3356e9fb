import Foundation
import NN
import Tensor
import Testing

@testable import Compress

/// CSR storage of pruned tensors: bit-exact round trips in memory and through a safetensors
/// file, the documented layout, and inconsistent files refused.
@Suite struct CSRMatrixTests {
    @Test func aSmallMatrixHasTheDocumentedLayout() throws {
        let matrix = try Tensor([0, 2, 0, 0, 0, 0, 3, -0.0, 4], shape: [3, 3])
        let csr = try CSRMatrix(matrix)
        #expect(csr.values.map(\.bitPattern) == [2, 3, -0.0, 4].map { Float($0).bitPattern })
        #expect(csr.columnIndices == [1, 0, 1, 2])
        #expect(csr.rowPointers == [0, 1, 1, 4])
        let back = try csr.dense()
        #expect(back.shape == [3, 3])
        #expect(back.scalars.map(\.bitPattern) == matrix.scalars.map(\.bitPattern))
    }

    @Test func aPrunedModelRoundTripsBitExactThroughASmallerFile() throws {
        let model = try CompressFixtures.mlp(hidden: 64)
        let conv = try Sequential {
            try Conv2D(2, 4, kernelSize: 3, seed: 1)
        }
        try prune(model, sparsity: 0.9, scope: .global)
        try prune(conv, sparsity: 0.5)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("csr-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sparsePath = directory.appendingPathComponent("sparse.safetensors").path
        let densePath = directory.appendingPathComponent("dense.safetensors").path
        try SafeTensorsFile(tensors: model.sparseStateDict()).write(to: sparsePath)
        try SafeTensorsFile(tensors: model.stateDict()).write(to: densePath)
        let sparseSize = try #require(
            FileManager.default.attributesOfItem(atPath: sparsePath)[.size] as? Int)
        let denseSize = try #require(
            FileManager.default.attributesOfItem(atPath: densePath)[.size] as? Int)
        #expect(sparseSize * 3 < denseSize)

        let loaded = try SafeTensorsFile.read(sparsePath).tensors
        #expect(loaded["1.weight.csr.row_ptr"]?.shape == [65])
        #expect(loaded["1.weight"] == nil && loaded["1.bias"] != nil)
        let restored = try denseStateDict(fromSparse: loaded)
        let original = model.stateDict()
        #expect(Set(restored.keys) == Set(original.keys))
        for (name, tensor) in original {
            let back = try #require(restored[name])
            #expect(back.shape == tensor.shape)
            #expect(back.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
        }
        let copy = try CompressFixtures.mlp(hidden: 64, seed: 99)
        try copy.load(stateDict: restored)
        var generator = RandomGenerator(seed: 3)
        let x = try Tensor.normal([5, 2], using: &generator)
        #expect(try copy(x).scalars == (try model(x)).scalars)

        // A 4-d convolution weight is stored as [out, in·kh·kw] and restored to its shape.
        let convRestored = try denseStateDict(fromSparse: conv.sparseStateDict())
        let weight = try #require(convRestored["0.weight"])
        #expect(weight.shape == [4, 2, 3, 3])
        #expect(weight.scalars == conv.stateDict()["0.weight"]?.scalars)
    }

    @Test func columnIndicesAreTwoBytesUpTo65536ColumnsAndI32Reads() throws {
        let matrix = try Tensor([0, 2, 0, 0, 0, 0, 3, -0.0, 4], shape: [3, 3])
        var tensors = try CSRMatrix(matrix).tensors(named: "w")
        #expect(tensors["w.csr.col_indices"] == nil)
        #expect(
            try tensors["w.csr.col_indices_u16"]?.scalars(as: UInt8.self) == [
                1, 0, 0, 0, 1, 0, 2, 0,
            ])
        // The four-byte form (other writers, or more than 65,536 columns) reads the same.
        tensors["w.csr.col_indices_u16"] = nil
        tensors["w.csr.col_indices"] = try Tensor([Int32(1), 0, 1, 2], shape: [4])
        let back = try CSRMatrix(named: "w", in: tensors).dense()
        #expect(back.scalars.map(\.bitPattern) == matrix.scalars.map(\.bitPattern))
        let wide = try CSRMatrix(Tensor.zeros([1, 70_000]) + 1).tensors(named: "v")
        #expect(wide["v.csr.col_indices"]?.elementCount == 70_000)
        #expect(wide["v.csr.col_indices_u16"] == nil)
    }

    @Test func inconsistentGroupsAreRefused() throws {
        let good = try CSRMatrix(Tensor([1, 0, 0, 2], shape: [2, 2])).tensors(named: "w")
        func corrupted(_ key: String, _ tensor: Tensor?) -> [String: Tensor] {
            var copy = good
            copy[key] = tensor
            return copy
        }
        let cases: [[String: Tensor]] = [
            corrupted("w.csr.col_indices", try Tensor([Int32(0), 1], shape: [2])),  // both
            corrupted("w.csr.col_indices_u16", try Tensor([UInt8(0), 0, 5, 0], shape: [4])),
            corrupted("w.csr.col_indices_u16", try Tensor([UInt8(0), 0, 1], shape: [3])),
            corrupted("w.csr.col_indices_u16", nil),
            corrupted("w.csr.row_ptr", try Tensor([Int32(0), 2, 1], shape: [3])),
            corrupted("w.csr.row_ptr", try Tensor([Int32(0), 1], shape: [2])),
            corrupted("w.csr.shape", try Tensor([Int32(2), -2], shape: [2])),
            corrupted("w.csr.shape", try Tensor([Int32(2), Int32.max, Int32.max], shape: [3])),
            corrupted("w.csr.values", try Tensor([Float(1), 2, 3], shape: [3])),
            corrupted("w.csr.values", try Tensor([Int32(1), 2], shape: [2])),
            corrupted("w.csr.shape", nil),
        ]
        for tensors in cases {
            #expect(throws: CompressError.self) { try denseStateDict(fromSparse: tensors) }
        }
        #expect(try denseStateDict(fromSparse: good)["w"]?.scalars == [1, 0, 0, 2])
    }
}
