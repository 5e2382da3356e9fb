import NN
import Tensor

/// `conv` followed by `norm` (in evaluation mode, with its running statistics) as one
/// convolution, the fold that PyTorch's `fuse_conv_bn_eval` and TensorRT make before
/// quantizing (Jacob et al. 2018, §3.2): with `s = γ / √(running_var + ε)` per output channel,
/// `W' = s · W` and `b' = s · (b − running_mean) + β`. The result is a new layer; neither
/// argument changes.
///
/// ```swift
/// let folded = try foldBatchNorm(norm, into: conv)     // folded(x) ≈ norm(conv(x)) in eval mode
/// ```
///
/// - Throws: `CompressError.invalidArgument` when the channels differ or the convolution has an
///   activation (the BatchNorm must follow the bare convolution).
public func foldBatchNorm(_ norm: BatchNorm, into conv: Conv2D) throws -> Conv2D {
    guard norm.featureCount == conv.outputChannels, conv.activation == .identity else {
        throw CompressError.invalidArgument(
            function: "foldBatchNorm",
            message: "a BatchNorm(\(norm.featureCount)) folds only into a convolution with "
                + "\(norm.featureCount) output channels and no activation, got "
                + "\(conv.configurationSummary)")
    }
    let channels = conv.outputChannels
    let mean = norm.runningMean.value.scalars
    let variance = norm.runningVariance.value.scalars
    let gamma = norm.weight?.value.scalars ?? [Float](repeating: 1, count: channels)
    let beta = norm.bias?.value.scalars ?? [Float](repeating: 0, count: channels)
    let bias = conv.bias?.value.scalars ?? [Float](repeating: 0, count: channels)
    let factors = (0..<channels).map { gamma[$0] / (variance[$0] + norm.epsilon).squareRoot() }
    let folded = try Conv2D(
        conv.inputChannels, channels, kernelSize: conv.kernelSize, stride: conv.stride,
        padding: conv.padding, dilation: conv.dilation, useBias: true, seed: 0)
    let weight = conv.weight.value.detached.scalars
    let perChannel = weight.count / channels
    let scaled = weight.indices.map { weight[$0] * factors[$0 / perChannel] }
    try folded.weight.assign(Tensor(scaled, shape: conv.weight.shape))
    try folded.bias?.assign(
        Tensor(
            (0..<channels).map { factors[$0] * (bias[$0] - mean[$0]) + beta[$0] },
            shape: [channels]))
    return folded
}

/// Rewrites the Sequentials of `model` (at any depth, in place) for inference: each `Conv2D`
/// directly followed by a `BatchNorm` becomes the folded convolution (`foldBatchNorm`), and a
/// convolution without activation directly followed by a `ReLU` takes the ReLU as its own
/// activation (which the int8 epilogue fuses). The model computes the same in evaluation mode.
func foldBatchNormsAndReLUs(_ model: any Layer) throws {
    guard let sequential = model as? Sequential else { return }
    var index = 0
    while index < sequential.count {
        let layer = sequential.layers[index]
        if layer is Sequential { try foldBatchNormsAndReLUs(layer) }
        guard var conv = layer as? Conv2D else {
            index += 1
            continue
        }
        if index + 1 < sequential.count, let norm = sequential.layers[index + 1] as? BatchNorm,
            conv.activation == .identity
        {
            conv = try foldBatchNorm(norm, into: conv)
            try sequential.replace(at: index, with: conv)
            try sequential.remove(at: index + 1)
        }
        if index + 1 < sequential.count, sequential.layers[index + 1] is ReLU,
            conv.activation == .identity
        {
            conv.activation = .relu
            try sequential.remove(at: index + 1)
        }
        index += 1
    }
}
