import Foundation
import NN
import Tensor
import Testing

@testable import Compress

/// The directory shared with Tests/Python/int8_interop.py, set by
/// scripts/test-steps/49-int8-interop.sh (the test is skipped without it).
let int8InteropDirectory = ProcessInfo.processInfo.environment["TRAINBOOK_INT8_INTEROP"]

/// Writes int8 model files (static and dynamic), their float32 original, inputs and Trainbook's
/// logits, for the NumPy-only script to reproduce.
@Suite(.enabled(if: int8InteropDirectory != nil, "run by scripts/test-steps/49-int8-interop.sh"))
struct Int8InteropTests {
    @Test func writesInt8FilesAndTheirLogits() throws {
        let directory = URL(fileURLWithPath: int8InteropDirectory ?? "/nonexistent")
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let model = try Sequential {
            Flatten()
            try Dense(256, 128, activation: .relu, seed: 1)
            try Dense(128, 64, seed: 2)
            try Dense(64, 10, activation: .relu, seed: 3)
            try Dense(10, 10, seed: 4)
        }
        var generator = RandomGenerator(seed: 7)
        let calibration = try Tensor.normal([200, 16, 16], using: &generator)
        let inputs = try Tensor.normal([32, 16, 16], using: &generator)
        try model.save(to: path("float32.safetensors"))
        var logits = ["inputs": inputs]
        for (name, quantized) in [
            ("static", try quantize(model, calibrationInputs: calibration)),
            ("dynamic", try quantize(model, mode: .dynamic)),
            ("entropy", try quantize(model, calibrationInputs: calibration, method: .entropy)),
        ] {
            try quantized.save(to: path("\(name).safetensors"))
            logits[name] = try quantized.predict(inputs)
        }
        logits["float32"] = try model.predict(inputs)
        try SafeTensorsFile(tensors: logits).write(to: path("logits.safetensors"))
    }
}
