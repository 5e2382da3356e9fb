// trainbook-latency: inference latency of the bench's MLP and CNN, for bench/ to compare with
// PyTorch (bench/peers/torch_infer.py). The model runs in evaluation mode without the autodiff
// tape, as `predict` runs it; each call is timed alone on the same input, after warm-up calls.
import BenchSupport
import Compress
import Foundation
import NN
import Tensor

func runLatency() throws {
    let options = try LatencyOptions(arguments: Array(CommandLine.arguments.dropFirst()))
    BLAS.startUp()  // OpenBLAS's kernels chosen before anything multiplies
    if let threads = options.threads {
        Parallelism.threadCount = threads
        Parallelism.blasThreadCount = threads
    }
    RandomGenerator.seedDefault(0)
    let float = try options.model == .mlp ? BenchModels.mlp() : BenchModels.cnn()
    float.eval()
    let model: any Layer
    switch options.precision {
    case .float32: model = float
    case .int8:
        let calibration = try Tensor.uniform([256, 1, 28, 28])
        model = try quantize(float, calibrationInputs: calibration)
    case .int8Dynamic: model = try quantize(float, mode: .dynamic)
    }
    model.eval()
    for batchSize in options.batchSizes {
        let input = try Tensor.uniform([batchSize, 1, 28, 28])
        let sample = try withoutGradient { try time(model, on: input, options) }
        var line = JSONLine()
        line.add("event", "latency")
        line.add("model", options.model.rawValue)
        line.add("precision", options.precision.rawValue)
        line.add("batch_size", batchSize)
        line.add("threads", Parallelism.threadCount)
        line.add("blas_threads", Parallelism.blasThreadCount)
        line.add("blas", BLAS.description)
        line.add("calls", sample.seconds.count)
        line.add("median_ms", sample.quantileMilliseconds(0.5))
        line.add("p90_ms", sample.quantileMilliseconds(0.9))
        line.add("p99_ms", sample.quantileMilliseconds(0.99))
        line.add("min_ms", sample.minimumMilliseconds)
        line.print()
    }
}

/// Calls `model` on `input` for the warm-up, then until the budget is spent (between the
/// minimum and maximum call counts), timing each call.
func time(_ model: any Layer, on input: Tensor, _ options: LatencyOptions) throws
    -> LatencySample
{
    for _ in 0..<options.warmUpCalls { _ = try model(input) }
    var seconds: [Double] = []
    seconds.reserveCapacity(options.maximumCalls)
    let clock = ContinuousClock()
    let start = clock.now
    while seconds.count < options.maximumCalls {
        let callStart = clock.now
        _ = try model(input)
        seconds.append(secondsBetween(callStart, clock.now))
        let spent = secondsBetween(start, clock.now)
        if seconds.count >= options.minimumCalls, spent >= options.budgetSeconds { break }
    }
    return LatencySample(seconds: seconds)
}

func secondsBetween(_ start: ContinuousClock.Instant, _ end: ContinuousClock.Instant) -> Double {
    let elapsed = end - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

do {
    try runLatency()
} catch {
    FileHandle.standardError.write(Data("trainbook-latency: \(error)\n".utf8))
    exit(error is LatencyError ? 2 : 1)
}
