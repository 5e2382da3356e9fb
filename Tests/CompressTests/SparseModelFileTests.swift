import Foundation
import NN
import Tensor
import Testing

@testable import Compress

/// Pruned models on disk: saved with CSR weights (smaller), loaded back with the same masks, so
/// that the loaded model stays pruned through further training; dense files load as before.
@Suite struct SparseModelFileTests {
    private func temporaryPath(_ name: String) throws -> (path: String, cleanup: () -> Void) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sparse-file-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (
            directory.appendingPathComponent(name).path,
            { try? FileManager.default.removeItem(at: directory) }
        )
    }

    private func size(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    @Test func aPrunedModelLoadsBackPrunedAndStaysPrunedThroughTraining() throws {
        let model = try CompressFixtures.mlp(hidden: 64)
        try prune(model, sparsity: 0.9, scope: .global)
        // A kept weight that is exactly zero is still kept: the mask, not the value, is stored.
        let first = try #require(model.prunableWeights.first?.parameter)
        let keptIndex = try #require(first.mask?.scalars.firstIndex(of: 1))
        var values = first.value.scalars
        values[keptIndex] = 0
        try first.assign(Tensor(values, shape: first.shape))
        let (sparse, cleanup) = try temporaryPath("sparse.safetensors")
        defer { cleanup() }
        let dense = sparse + ".dense"
        try SparseModelFile.save(model, to: sparse)
        try SparseModelFile.save(model, to: dense, sparse: false)
        #expect(try size(sparse) * 3 < size(dense))

        let loaded = try SparseModelFile.loadModel(from: sparse)
        #expect(loaded.sparsity == model.sparsity)
        for ((_, a), (_, b)) in zip(model.prunableWeights, loaded.prunableWeights) {
            #expect(a.mask?.scalars == b.mask?.scalars)
            #expect(a.value.scalars.map(\.bitPattern) == b.value.scalars.map(\.bitPattern))
        }
        var generator = RandomGenerator(seed: 11)
        let x = try Tensor.uniform([5, 2], low: -1, high: 1, using: &generator)
        #expect(try loaded(x).scalars == model(x).scalars)

        let optimizer = try Adam(learningRate: 0.01)
        try loaded.fit(
            CompressFixtures.blobs(), epochs: 2, batchSize: 16, optimizer: optimizer,
            generator: RandomGenerator(seed: 2))
        for (_, weight) in loaded.prunableWeights {
            let mask = CompressFixtures.mask(of: weight)
            for (value, keep) in zip(weight.value.scalars, mask) where keep == 0 {
                #expect(value == 0)
            }
        }
        #expect(Swift.abs(loaded.sparsity - 0.9) < 0.01)

        // Loading into a model built in code restores the masks too, even over other masks.
        let fresh = try CompressFixtures.mlp(hidden: 64, seed: 9)
        try prune(fresh, sparsity: 0.5)
        try SparseModelFile.load(into: fresh, from: sparse)
        #expect(fresh.sparsity == model.sparsity)
        #expect(try fresh(x).scalars == model(x).scalars)
    }

    @Test func anUnprunedModelIsSavedDenseAndLoadsWithoutMasks() throws {
        let model = try CompressFixtures.mlp()
        let (path, cleanup) = try temporaryPath("dense.safetensors")
        defer { cleanup() }
        try SparseModelFile.save(model, to: path)
        let tensors = try SafeTensorsFile.read(path).tensors
        #expect(sparseTensorNames(in: tensors).isEmpty)
        let loaded = try SparseModelFile.loadModel(from: path)
        #expect(loaded.prunableWeights.allSatisfy { $0.parameter.mask == nil })
    }
}
