/// When activations are quantized.
public enum QuantizationMode: String, Sendable, CaseIterable {
    /// Post-training static quantization: each layer's input range is fixed beforehand by
    /// calibration, and consecutive int8 layers hand uint8 codes to each other (requantization
    /// fused into the first one's epilogue).
    case `static`
    /// Dynamic quantization, as `torch.ao.quantization.quantize_dynamic`: weights are int8 ahead
    /// of time, each batch's activations are quantized with that batch's own range at run time.
    case dynamic
}
