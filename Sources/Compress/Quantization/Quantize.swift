import Data
import NN
import Tensor

/// The int8 version of `model`, post-training: every `Dense` (inside Sequentials, at any depth)
/// becomes a `QuantizedDense` and every `Conv2D` a `QuantizedConv2D`, with weights quantized
/// per output channel, symmetric; other layers stay float32. A BatchNorm directly after a
/// convolution is first folded into it (`foldBatchNorm`, as PyTorch and TensorRT do), and a
/// ReLU and then a `MaxPool2D` (stride its window, no padding) directly after it are fused
/// into the int8 epilogue. The model itself is not changed.
///
/// In `.static` mode (the default) each layer's input range is calibrated by running
/// `calibration` through the float model and choosing ranges by `method`; consecutive int8
/// layers then pass uint8 codes to each other. In `.dynamic` mode (PyTorch's
/// `quantize_dynamic`) no calibration is needed: each batch is quantized with its own range.
///
/// ```swift
/// let q = try quantize(model, calibration: data.train.prefix(1_000))
/// let d = try quantize(model, mode: .dynamic)
/// try q.evaluate(data.test)
/// ```
///
/// - Throws: `CompressError.invalidArgument` without calibration data in static mode,
///   `CompressError.unsupported` for a model with no Dense or Conv2D layer or of custom layers.
public func quantize(
    _ model: any Layer, calibration: Dataset? = nil, method: CalibrationMethod = .minMax,
    mode: QuantizationMode = .static, batchSize: Int = 256
) throws -> any Layer {
    try quantize(model, method: method, mode: mode, hasCalibration: calibration != nil) {
        calibrated in
        guard let calibration else { return }
        var generator = RandomGenerator(seed: 0)
        var batches = try calibration.batches(of: batchSize, using: &generator).makeIterator()
        while let batch = try batches.next() { _ = try calibrated(batch.x) }
    }
}

/// `quantize(_:calibration:method:mode:batchSize:)` with calibration inputs `[N, …]` given as a
/// tensor, run `batchSize` rows at a time.
public func quantize(
    _ model: any Layer, calibrationInputs: Tensor, method: CalibrationMethod = .minMax,
    batchSize: Int = 256
) throws -> any Layer {
    try quantize(model, method: method, mode: .static, hasCalibration: true) { calibrated in
        guard let count = calibrationInputs.shape.first, batchSize > 0 else {
            throw CompressError.invalidArgument(
                function: "quantize",
                message: "calibration inputs need a batch axis and the batch size must be positive")
        }
        for start in stride(from: 0, to: count, by: batchSize) {
            _ = try calibrated(calibrationInputs[start..<Swift.min(count, start + batchSize)])
        }
    }
}

private func quantize(
    _ model: any Layer, method: CalibrationMethod, mode: QuantizationMode, hasCalibration: Bool,
    calibrate: ((Tensor) throws -> Tensor) throws -> Void
) throws -> any Layer {
    QuantizedLayers.register()
    guard model.namedLayers().contains(where: { $0.layer is Dense || $0.layer is Conv2D }) else {
        throw CompressError.unsupported(
            function: "quantize", message: "the model has no Dense or Conv2D layer to quantize")
    }
    let copy = try LayerRewriting.copy(model, function: "quantize")
    try foldBatchNormsAndReLUs(copy)
    switch mode {
    case .dynamic:
        let quantized = try LayerRewriting.rewrite(copy) { layer, _ in
            switch layer {
            case let dense as Dense: return try QuantizedDense(quantizing: dense, input: nil)
            case let conv as Conv2D: return try QuantizedConv2D(quantizing: conv, input: nil)
            default: return nil
            }
        }
        try fuseMaxPools(quantized)
        return quantized
    case .static:
        guard hasCalibration else {
            throw CompressError.invalidArgument(
                function: "quantize",
                message: "static quantization needs calibration data, e.g. "
                    + "quantize(model, calibration: data.train.prefix(1_000)); or use "
                    + "mode: .dynamic")
        }
        let observed = try LayerRewriting.rewrite(copy) { layer, _ in
            switch layer {
            case let dense as Dense: return ObservedLayer(dense, method: method)
            case let conv as Conv2D: return ObservedLayer(conv, method: method)
            default: return nil
            }
        }
        try observed.evaluating {
            try withoutGradient { try calibrate { try observed($0) } }
        }
        let quantized = try LayerRewriting.convertCandidates(observed)
        try fuseMaxPools(quantized)
        return quantized
    }
}
