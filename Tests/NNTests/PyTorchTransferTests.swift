import Data
import Foundation
import Testing

@testable import NN
@testable import Tensor

/// The directory Tests/Python/torch_transfer.py wrote a PyTorch-trained CNN into, set by
/// scripts/test-steps/46-nn-interop.sh (the suite is skipped without it).
let torchTransferDirectory = ProcessInfo.processInfo.environment["TRAINBOOK_TORCH_TRANSFER"]

/// A model trained in PyTorch, saved with `safetensors.torch.save_file`, as the body of a new
/// Trainbook model: loaded strictly into the equivalent Sequential, its outputs equal torch's,
/// and frozen under a new head it stays as torch left it while the head trains.
@Suite(.enabled(if: torchTransferDirectory != nil, "run by scripts/test-steps/46-nn-interop.sh"))
struct PyTorchTransferTests {
    let directory = URL(fileURLWithPath: torchTransferDirectory ?? "/nonexistent")

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// torch_transfer.py's `build()`, layer for layer (same indices, so the same names).
    func torchArchitecture() throws -> Sequential {
        try Sequential {
            try Conv2D(1, 4, kernelSize: 3, padding: 1)
            try BatchNorm(4)
            ReLU()
            MaxPool2D(2)
            try Conv2D(4, 8, kernelSize: 3, padding: 1)
            try BatchNorm(8)
            ReLU()
            MaxPool2D(2)
            Flatten()
            try Dense(8 * 7 * 7, 32)
            ReLU()
            try Dense(32, 10)
        }
    }

    @Test func aPyTorchTrainedCNNBecomesAFrozenBodyUnderANewHead() throws {
        let referenceFile = try SafeTensorsFile.read(path("torch_cnn_reference.safetensors"))
        let reference = referenceFile.tensors
        let inputs = try #require(reference["inputs"])
        let pretrained = try torchArchitecture()
        try pretrained.load(from: path("torch_cnn.safetensors"))
        pretrained.eval()
        let logits = try #require(reference["logits"])
        #expect(try pretrained(inputs).shape == logits.shape)
        expectClose(try pretrained(inputs).scalars, logits.scalars, tolerance: 1e-4)

        let body = try pretrained.dropLast()
        let model = Sequential([body, try Dense(32, 3, seed: 1)])
        // The names and shapes torch's state_dict() has for nn.Sequential(model[:-1], Linear).
        let json = try #require(referenceFile.metadata["transferred_state"])
        let torchState = try JSONDecoder().decode(
            [String: [Int]].self, from: Foundation.Data(json.utf8))
        #expect(model.stateDict().mapValues(\.shape) == torchState)
        #expect(torchState["0.9.weight"] == [32, 392])
        body.freeze()
        let before = TransferLearningTests.bits(of: body)
        var generator = RandomGenerator(seed: 3)
        let pixels = (0..<(30 * 784)).map { _ in generator.nextUniform() }
        let labels = (0..<30).map { Int32($0 % 3) }
        let data = try Dataset(features: pixels, elementShape: [1, 28, 28], labels: labels)
        try model.fit(
            data, epochs: 2, batchSize: 10, optimizer: try Adam(learningRate: 1e-2),
            generator: RandomGenerator(seed: 4))
        #expect(TransferLearningTests.bits(of: body) == before)
        body.eval()
        let features = try #require(reference["features"])
        #expect(try body(inputs).shape == features.shape)
        expectClose(try body(inputs).scalars, features.scalars, tolerance: 1e-4)
    }
}
