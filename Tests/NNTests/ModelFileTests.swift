import Foundation
import Testing

@testable import NN
@testable import Tensor

@Suite struct ModelFileTests {
    /// A fresh temporary directory, removed when `body` returns.
    func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("nn-model-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    func cnn() throws -> Sequential {
        try Sequential {
            try Conv2D(1, 4, kernelSize: 3, padding: .same, activation: .relu, seed: 1)
            try BatchNorm(4)
            MaxPool2D(2)
            Flatten()
            try Dense(4 * 4 * 4, 10, seed: 2)
        }
    }

    @Test func savedModelsRebuildWithTheSameOutputs() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("cnn.safetensors").path
            let model = try cnn()
            _ = try model(sample([4, 1, 8, 8], seed: 3))  // moves the running statistics
            model.eval()
            try save(model, to: path, metadata: ["accuracy": "0.91"])
            let loaded = try loadModel(from: path)
            loaded.eval()
            let x = try sample([2, 1, 8, 8], seed: 4)
            #expect(try loaded(x).scalars == model(x).scalars)
            let file = try SafeTensorsFile.read(path)
            #expect(file.metadata["accuracy"] == "0.91")
            #expect(file.metadata["format"] == "pt")
            let json = try #require(file.metadata[ModelFileMetadata.architecture])
            #expect(try LayerArchitecture(json: json) == model.architecture())
            #expect(Set(file.tensors.keys) == Set(model.stateDict().keys))
        }
    }

    @Test func weightsLoadIntoAnExistingModelAndMismatchesAreNamed() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("cnn.safetensors").path
            try cnn().save(to: path)
            let target = try cnn()
            try target.load(from: path)
            let other = try Sequential { try Dense(3, 2, seed: 1) }
            #expect(throws: NNError.self) { try other.load(from: path) }
        }
    }

    @Test func aStateDictWithoutArchitectureCannotRebuildAModel() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("weights.safetensors").path
            try SafeTensorsFile(tensors: cnn().stateDict()).write(to: path)
            #expect(throws: NNError.self) { try loadModel(from: path) }
            try cnn().load(from: path)
        }
    }

    @Test func corruptAndTruncatedFilesAreClearErrors() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("cnn.safetensors").path
            try save(cnn(), to: path)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            let truncated = directory.appendingPathComponent("truncated.safetensors").path
            try bytes.prefix(bytes.count - 10).write(to: URL(fileURLWithPath: truncated))
            #expect(throws: SafeTensorsError.self) { try loadModel(from: truncated) }
            let garbage = directory.appendingPathComponent("garbage.safetensors").path
            try Data("not a model".utf8).write(to: URL(fileURLWithPath: garbage))
            #expect(throws: SafeTensorsError.self) { try cnn().load(from: garbage) }
            #expect(throws: SafeTensorsError.self) {
                try loadModel(from: directory.appendingPathComponent("missing").path)
            }
        }
    }
}
