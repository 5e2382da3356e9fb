import Foundation
import Testing

@testable import NN
@testable import Tensor

/// The directory shared with Tests/Python/nn_interop.py, set by
/// scripts/test-steps/46-nn-interop.sh (the suite is skipped without it).
let nnInteropDirectory = ProcessInfo.processInfo.environment["TRAINBOOK_NN_INTEROP"]

/// The Swift half of the PyTorch interop check: loads torch-layout state dicts written by
/// nn_interop.py into the equivalent Trainbook models, runs them, and saves the outputs and
/// Trainbook's own model files for the Python half to verify.
@Suite(.enabled(if: nnInteropDirectory != nil, "run by scripts/test-steps/46-nn-interop.sh"))
struct PyTorchInteropTests {
    let directory = URL(fileURLWithPath: nnInteropDirectory ?? "/nonexistent")

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The Trainbook equivalents of nn_interop.py's three torch models.
    func models(seed: UInt64) throws -> [String: Sequential] {
        [
            "mlp": try Sequential {
                Flatten()
                try Dense(784, 128, seed: seed)
                ReLU()
                try Dense(128, 10, seed: seed + 1)
            },
            "cnn": try Sequential {
                try Conv2D(1, 4, kernelSize: 3, padding: 1, seed: seed)
                try BatchNorm(4)
                ReLU()
                MaxPool2D(2)
                try Conv2D(4, 6, kernelSize: 3, stride: 2, seed: seed + 1)
                ReLU()
                Flatten()
                try Dense(6, 3, seed: seed + 2)
            },
            "embed": try Sequential {
                try Embedding(10, 4, seed: seed)
                try LayerNorm([4])
                Flatten()
                try Dense(12, 2, seed: seed + 1)
            },
        ]
    }

    @Test func runTorchWeightsAndSaveOwnModels() throws {
        let inputs = try SafeTensorsFile.read(path("inputs.safetensors")).tensors
        var outputs: [String: Tensor] = [:]
        for (name, model) in try models(seed: 1) {
            let x = try #require(inputs[name])
            try model.load(from: path("torch_\(name).safetensors"))
            model.eval()
            outputs["torch_\(name)"] = try withoutGradient { try model(x) }
        }
        for (name, model) in try models(seed: 100) {
            let x = try #require(inputs[name])
            // One training-mode pass moves BatchNorm's running statistics off their defaults.
            _ = try withoutGradient { try model(x) }
            model.eval()
            try save(model, to: path("trainbook_\(name).safetensors"))
            outputs["trainbook_\(name)"] = try withoutGradient { try model(x) }
        }
        try SafeTensorsFile(tensors: outputs).write(to: path("swift_outputs.safetensors"))
    }
}
