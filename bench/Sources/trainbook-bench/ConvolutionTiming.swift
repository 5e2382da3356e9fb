import BenchSupport
import Foundation
import Tensor

/// The CNN's two convolutions (`BenchModels.cnn()`: 1 → 32 on 28×28 and 32 → 64 on 13×13, 3×3,
/// bias, ReLU) at the training batch size, on each `ConvolutionBackend` in turn: thread CPU
/// seconds of the forward pass and of the backward pass (as training runs it: weight and bias
/// gradients, and the input gradient for the second layer), the median of alternating rounds
/// whose backend order rotates. Then 3×3 convolutions C → 32 on 28×28 for C = 2, 4, 8, 16, the
/// range between the two layers that sets `ConvolutionBackend`'s rule. Last, each of the two
/// layers with its 2×2 max pooling, fused (`conv2dMaxPool2x2`) and not.
enum ConvolutionTiming {
    struct Layer {
        let name: String
        let input: [Int]
        let outputs: Int
        let needsInputGradient: Bool
    }

    static func measure(batchSize: Int, rounds: Int) throws -> [JSONLine] {
        let saved = ConvolutionBackend.current
        defer { ConvolutionBackend.current = saved }
        let layers =
            [
                Layer(
                    name: "conv1", input: [batchSize, 1, 28, 28], outputs: 32,
                    needsInputGradient: false),
                Layer(
                    name: "conv2", input: [batchSize, 32, 13, 13], outputs: 64,
                    needsInputGradient: true),
            ]
            + [2, 4, 8, 16].map { channels in
                // Between the two: where oneDNN's reorders stop costing more than they save.
                Layer(
                    name: "sweep_c\(channels)", input: [batchSize, channels, 28, 28], outputs: 32,
                    needsInputGradient: true)
            }
        var generator = RandomGenerator(seed: 7)
        var lines: [JSONLine] = []
        for layer in layers {
            let input = try Tensor.uniform(layer.input, low: -1, high: 1, using: &generator)
            let weight = try Tensor.uniform(
                [layer.outputs, layer.input[1], 3, 3], low: -0.3, high: 0.3, using: &generator)
            let bias = try Tensor.uniform([layer.outputs], low: -0.1, high: 0.1, using: &generator)
            let outputShape = [batchSize, layer.outputs, layer.input[2] - 2, layer.input[3] - 2]
            let upstream = try Tensor.uniform(outputShape, low: -1, high: 1, using: &generator)
            let backends: [ConvolutionBackend] = [.oneDNN, .im2col]
            var forward = [ConvolutionBackend: [Double]]()
            var backward = [ConvolutionBackend: [Double]]()
            for round in 0..<(rounds + 1) {
                for offset in 0..<backends.count {
                    let backend = backends[(round + offset) % backends.count]
                    ConvolutionBackend.current = backend
                    let times = try timedPasses(
                        layer, input: input, weight: weight, bias: bias, upstream: upstream
                    ) { x, w, b throws(TensorError) in
                        try x.conv2d(weight: w, bias: b, activation: .relu)
                    }
                    if round > 0 {  // round 0 creates the primitives and warms the caches
                        forward[backend, default: []].append(times.forward)
                        backward[backend, default: []].append(times.backward)
                    }
                }
            }
            var line = header("convolution", layer)
            for backend in backends {
                let name = "\(backend)"
                line.add("forward_ms_\(name)", 1e3 * median(forward[backend] ?? []))
                line.add("backward_ms_\(name)", 1e3 * median(backward[backend] ?? []))
            }
            lines.append(line)
        }
        for layer in layers.prefix(2) {
            lines.append(try pooled(layer, batchSize: batchSize, rounds: rounds, using: &generator))
        }
        return lines
    }

    /// One of the CNN's layers followed by its 2×2 max pooling, on the automatic backend: as
    /// one operation (`conv2dMaxPool2x2`, what `Sequential` runs) and as `conv2d` then
    /// `maxPool2d`, in alternating rounds; thread CPU milliseconds of the forward and of the
    /// backward pass (medians).
    private static func pooled(
        _ layer: Layer, batchSize: Int, rounds: Int, using generator: inout RandomGenerator
    ) throws -> JSONLine {
        let saved = ConvolutionBackend.current
        defer { ConvolutionBackend.current = saved }
        ConvolutionBackend.current = .automatic
        let input = try Tensor.uniform(layer.input, low: -1, high: 1, using: &generator)
        let weight = try Tensor.uniform(
            [layer.outputs, layer.input[1], 3, 3], low: -0.3, high: 0.3, using: &generator)
        let bias = try Tensor.uniform([layer.outputs], low: -0.1, high: 0.1, using: &generator)
        let pooledShape = [
            batchSize, layer.outputs, (layer.input[2] - 2) / 2, (layer.input[3] - 2) / 2,
        ]
        let upstream = try Tensor.uniform(pooledShape, low: -1, high: 1, using: &generator)
        var forward: [Bool: [Double]] = [:]
        var backward: [Bool: [Double]] = [:]
        for round in 0..<(rounds + 1) {
            for fused in round % 2 == 0 ? [true, false] : [false, true] {
                let times = try timedPasses(
                    layer, input: input, weight: weight, bias: bias, upstream: upstream
                ) { x, w, b throws(TensorError) in
                    fused
                        ? try x.conv2dMaxPool2x2(weight: w, bias: b, activation: .relu)
                        : try x.conv2d(weight: w, bias: b, activation: .relu).maxPool2d(kernel: 2)
                }
                if round > 0 {
                    forward[fused, default: []].append(times.forward)
                    backward[fused, default: []].append(times.backward)
                }
            }
        }
        var line = header("convolution_and_pooling", layer)
        line.add("forward_ms_fused", 1e3 * median(forward[true] ?? []))
        line.add("backward_ms_fused", 1e3 * median(backward[true] ?? []))
        line.add("forward_ms_separate", 1e3 * median(forward[false] ?? []))
        line.add("backward_ms_separate", 1e3 * median(backward[false] ?? []))
        return line
    }

    /// Thread CPU seconds of `pass` (the forward, on fresh leaves: the weight, the bias and,
    /// when the layer needs its gradient, the input) and of the backward pass from `upstream`.
    private static func timedPasses(
        _ layer: Layer, input: Tensor, weight: Tensor, bias: Tensor, upstream: Tensor,
        _ pass: (Tensor, Tensor, Tensor) throws(TensorError) -> Tensor
    ) throws -> (forward: Double, backward: Double) {
        let leaves = [weight.requiringGradient(), bias.requiringGradient()]
        let x = layer.needsInputGradient ? input.requiringGradient() : input
        let start = threadCPUSeconds()
        let output = try pass(x, leaves[0], leaves[1])
        let middle = threadCPUSeconds()
        _ = try output.gradients(
            at: layer.needsInputGradient ? leaves + [x] : leaves, seed: upstream)
        let end = threadCPUSeconds()
        return (middle - start, end - middle)
    }

    /// A line for `event` naming the layer, its input shape, outputs and the thread count.
    private static func header(_ event: String, _ layer: Layer) -> JSONLine {
        var line = JSONLine()
        line.add("event", event)
        line.add("layer", layer.name)
        line.add("input", layer.input.map(String.init).joined(separator: "x"))
        line.add("outputs", layer.outputs)
        line.add("threads", Parallelism.threadCount)
        return line
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
