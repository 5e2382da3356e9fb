import Data
import Foundation
import NN
import Tensor

/// A model that writes its own file for `compare` (a quantized model's int8 file, say);
/// other models are saved with `SparseModelFile.save` — CSR when pruned, dense otherwise.
public protocol ComparableModelFile: Layer {
    /// Writes the model's file to `path`.
    func writeComparisonFile(to path: String) throws
}

/// One model's row in a comparison: size, accuracy and latency.
public struct ComparisonRow: Sendable {
    /// The row's name.
    public let name: String
    /// Parameter entries (pruned ones included).
    public let parameterCount: Int
    /// Parameter entries that are not zero.
    public let nonZeroCount: Int
    /// The size of the model's file on disk, in bytes.
    public let fileBytes: Int
    /// The metrics on the comparison's data set (`loss`, `accuracy`, …).
    public let metrics: [String: Double]
    /// Median seconds of a forward pass of one example.
    public let latencyBatch1: Double
    /// Median seconds of a forward pass of `largeBatch` examples.
    public let latencyLargeBatch: Double
}

/// Models side by side — parameters, non-zeros, file size, accuracy, latency at batch 1 and
/// at a large batch (medians of several runs in evaluation mode) — for any `Layer`s: dense,
/// pruned, structurally pruned, quantized models and distilled students alike.
///
/// ```swift
/// let table = try ModelComparison(
///     [("dense", dense), ("pruned", pruned), ("structured", smaller)], on: data.test)
/// table.rows[1].fileBytes            // the CSR file's size
/// ```
public struct ModelComparison: Sendable {
    /// One row per model, in the order given.
    public let rows: [ComparisonRow]
    /// The large batch's size (256, or the data set's size when it is smaller).
    public let largeBatch: Int
    /// Timed forward passes per model and batch size (the medians are over these).
    public let runs: Int

    /// Measures each model on `data`.
    ///
    /// - Parameters:
    ///   - models: Names and models.
    ///   - data: A labelled data set (its first examples are the latency inputs).
    ///   - runs: Timed forward passes per batch size (after two warm-up passes), ≥ 1.
    ///   - largeBatch: The larger latency batch (256 by default).
    public init(
        _ models: [(name: String, model: any Layer)], on data: Dataset, runs: Int = 9,
        largeBatch: Int = 256
    ) throws {
        guard !models.isEmpty, runs >= 1, largeBatch >= 1, data.count >= 1 else {
            throw CompressError.invalidArgument(
                function: "compare",
                message: "needs at least one model, runs ≥ 1 and a non-empty data set")
        }
        let batch = min(largeBatch, data.count)
        let one = try data.batch([0]).x
        let many = try data.batch(Array(0..<batch)).x
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "trainbook-compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var rows: [ComparisonRow] = []
        for (index, entry) in models.enumerated() {
            let model = entry.model
            let wasTraining = model.isTraining
            model.eval()
            defer { model.setTraining(wasTraining) }
            let path = directory.appendingPathComponent("\(index).safetensors").path
            if let writer = model as? any ComparableModelFile {
                try writer.writeComparisonFile(to: path)
            } else {
                try SparseModelFile.save(model, to: path)
            }
            let bytes =
                (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            rows.append(
                ComparisonRow(
                    name: entry.name, parameterCount: model.parameterCount,
                    nonZeroCount: model.nonZeroParameterCount, fileBytes: bytes,
                    metrics: try model.evaluate(data),
                    latencyBatch1: try Self.medianSeconds(model, one, runs: runs),
                    latencyLargeBatch: try Self.medianSeconds(model, many, runs: runs)))
        }
        self.rows = rows
        self.largeBatch = batch
        self.runs = runs
    }

    /// The median seconds of `runs` forward passes on `input`, after two warm-up passes,
    /// without autodiff (`Layer.latency(on:repeats:warmUp:)`).
    static func medianSeconds(_ model: any Layer, _ input: Tensor, runs: Int) throws -> Double {
        try model.latency(on: input, repeats: runs, warmUp: 2)
    }

    /// The row named `name`, if any.
    public subscript(name: String) -> ComparisonRow? { rows.first { $0.name == name } }
}
