import NN
import Tensor

/// A copy of `model` prepared for quantization-aware training: every `Dense` (inside
/// Sequentials) becomes a `FakeQuantizedDense` and every `Conv2D` a `FakeQuantizedConv2D`,
/// after each BatchNorm that directly follows a convolution has been folded into it with its
/// running statistics (`foldBatchNorm`; the statistics are frozen from then on, as in
/// PyTorch's `fuse_modules` before QAT) and a directly following ReLU fused. Train it with `fit` (typically a few epochs from
/// the trained float weights), then `convertQuantizationAware(_:)` gives the int8 model.
///
/// ```swift
/// let qat = try prepareQuantizationAwareTraining(model)
/// try qat.fit(data.train, epochs: 2, optimizer: Adam(learningRate: 1e-4))
/// let q = try convertQuantizationAware(qat)
/// ```
public func prepareQuantizationAwareTraining(_ model: any Layer) throws -> any Layer {
    guard model.namedLayers().contains(where: { $0.layer is Dense || $0.layer is Conv2D }) else {
        throw CompressError.unsupported(
            function: "prepareQuantizationAwareTraining",
            message: "the model has no Dense or Conv2D layer to quantize")
    }
    QuantizedLayers.register()
    let copy = try LayerRewriting.copy(model, function: "prepareQuantizationAwareTraining")
    try foldBatchNormsAndReLUs(copy)
    return try LayerRewriting.rewrite(copy) { layer, _ in
        switch layer {
        case let dense as Dense: return FakeQuantizedDense(dense)
        case let conv as Conv2D: return FakeQuantizedConv2D(conv)
        default: return nil
        }
    }
}

/// The int8 model of a model prepared by `prepareQuantizationAwareTraining(_:)` and trained:
/// each `FakeQuantizedDense` becomes a static `QuantizedDense` (each `FakeQuantizedConv2D` a
/// static `QuantizedConv2D`) with the weights it learned and
/// the input range it tracked.
public func convertQuantizationAware(_ model: any Layer) throws -> any Layer {
    QuantizedLayers.register()
    let layers = model.namedLayers().map(\.layer)
    guard layers.contains(where: { $0 is FakeQuantizedDense || $0 is FakeQuantizedConv2D }) else {
        throw CompressError.unsupported(
            function: "convertQuantizationAware",
            message: "the model has no fake-quantized layer; prepare it with "
                + "prepareQuantizationAwareTraining(model) and train it first")
    }
    let copy = try LayerRewriting.copy(model, function: "convertQuantizationAware")
    let quantized = try LayerRewriting.convertCandidates(copy)
    try fuseMaxPools(quantized)
    return quantized
}
