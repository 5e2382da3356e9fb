import Foundation
import NN
import Tensor
import Testing

@testable import Compress

/// Writes a pruned MLP as a sparse (CSR) file and its inputs and logits beside it, for
/// `Tests/Python/csr_logits.py` to reproduce the logits with NumPy alone (the test step
/// scripts/test-steps/44-csr-numpy.sh sets TRAINBOOK_CSR_INTEROP to the directory); without
/// the variable it writes to a temporary directory and checks the files.
@Suite struct CSRNumPyInteropTests {
    @Test func aPrunedModelAndItsLogitsAreWrittenForNumPy() throws {
        let given = ProcessInfo.processInfo.environment["TRAINBOOK_CSR_INTEROP"]
        let directory =
            given
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("csr-numpy-\(UInt64.random(in: 0...UInt64.max))").path
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        defer { if given == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let model = try Sequential {
            Flatten()
            try Dense(48, 64, activation: .relu, seed: 1)
            try Dense(64, 32, seed: 2)
            ReLU()
            try Dense(32, 10, seed: 3)
        }
        try prune(model, sparsity: 0.85, scope: .global)
        model.eval()
        var generator = RandomGenerator(seed: 4)
        let x = try Tensor.normal([7, 3, 4, 4], using: &generator)
        let logits = try withoutGradient { try model(x) }
        try SparseModelFile.save(model, to: directory + "/pruned.safetensors")
        try SafeTensorsFile(tensors: ["x": x, "logits": logits]).write(
            to: directory + "/io.safetensors")
        let written = try SafeTensorsFile.read(directory + "/pruned.safetensors").tensors
        #expect(sparseTensorNames(in: written) == ["1.weight", "2.weight", "4.weight"])
        let loaded = try SparseModelFile.loadModel(from: directory + "/pruned.safetensors")
        loaded.eval()
        #expect(try withoutGradient { try loaded(x) }.scalars == logits.scalars)
    }
}
