/// How calibration turns the activations it saw into a range to quantize to (the choices of
/// TensorRT's calibrators; Wu et al. 2020, "Integer Quantization for Deep Learning Inference").
public enum CalibrationMethod: Sendable, Equatable, CustomStringConvertible {
    /// The smallest and largest value seen: nothing is clipped, outliers widen the steps.
    case minMax
    /// The given percentile of the values at the top (and 100 minus it at the bottom), such as
    /// 99.99: rare outliers are clipped so that the rest get finer steps.
    case percentile(Double)
    /// The clipping threshold on |x| whose quantized histogram is closest, in KL divergence,
    /// to the observed one (TensorRT's entropy calibration, 2048 bins).
    case entropy

    /// "minMax", "percentile(99.99)", "entropy".
    public var description: String {
        switch self {
        case .minMax: return "minMax"
        case .percentile(let value): return "percentile(\(value))"
        case .entropy: return "entropy"
        }
    }
}
