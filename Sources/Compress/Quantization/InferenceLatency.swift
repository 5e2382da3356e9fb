import Data
import NN
import Tensor

/// The median time of one forward pass of `model` on the first `batchSize` examples of `data`,
/// in evaluation mode without the tape (as `predict` runs it), after `warmUp` untimed calls:
/// `Layer.latency(on:repeats:warmUp:)` (the one latency measurer, which `compare` and the
/// cells' `latency(of:on:)` use too) on a batch of `data`.
///
/// ```swift
/// let seconds = try inferenceLatency(of: quantized, on: data.test, batchSize: 256)
/// ```
///
/// - Throws: `CompressError.invalidArgument` for an empty data set or non-positive counts.
public func inferenceLatency(
    of model: any Layer, on data: Dataset, batchSize: Int = 256, runs: Int = 20, warmUp: Int = 3
) throws -> Double {
    guard batchSize > 0, runs > 0, warmUp >= 0, data.count > 0 else {
        throw CompressError.invalidArgument(
            function: "inferenceLatency",
            message: "needs a non-empty data set, a positive batch size and number of runs")
    }
    let input = try data.batch(Array(0..<Swift.min(batchSize, data.count))).x
    return try model.latency(on: input, repeats: runs, warmUp: warmUp)
}
