import CInt8Kernels
import Tensor

/// Per-tensor affine quantization of activations to uint8 (PyTorch's `quint8`):
/// `q = clamp(round(x / scale) + zeroPoint, 0, 255)`, `x ≈ (q − zeroPoint) · scale`.
///
/// The range is widened to include 0 so that zero (padding, ReLU's output) is exact, as in
/// Jacob et al. (2018). Within the range the round trip is off by at most `scale / 2`.
///
/// ```swift
/// let input = ActivationQuantization(low: 0, high: 1)      // pixels
/// let codes = try input.quantize(x)                        // uint8, same shape
/// let approx = try input.dequantize(codes)
/// ```
public struct ActivationQuantization: Sendable, Equatable, CustomStringConvertible {
    /// The step between two codes, positive.
    public let scale: Float
    /// The code of 0, in 0...255.
    public let zeroPoint: Int32

    /// The quantization with the given scale (positive, finite) and zero point (0...255).
    public init(scale: Float, zeroPoint: Int32) throws {
        guard scale > 0, scale.isFinite, (0...255).contains(zeroPoint) else {
            throw CompressError.invalidArgument(
                function: "ActivationQuantization",
                message: "the scale must be positive and finite and the zero point within "
                    + "0...255, got \(scale) and \(zeroPoint)")
        }
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// The quantization that maps `[low, high]` (widened to include 0) onto 0...255. An empty or
    /// non-finite range gives scale 1 around zero.
    public init(low: Float, high: Float) {
        let lower = Swift.min(low.isFinite ? low : 0, 0)
        let upper = Swift.max(high.isFinite ? high : 0, 0)
        let span = upper - lower
        guard span > Float.leastNormalMagnitude * 255 else {
            scale = 1
            zeroPoint = 0
            return
        }
        scale = span / 255
        zeroPoint = Int32(Swift.max(0, Swift.min(255, (-lower / scale).rounded())))
    }

    /// The quantization of the range of `x` (dynamic quantization: one batch at a time).
    public init(rangeOf x: Tensor) throws {
        guard x.elementCount > 0 else {
            self.init(low: 0, high: 0)
            return
        }
        var low: Float = 0
        var high: Float = 0
        try x.withElements(of: Float.self) { values in
            if let base = values.baseAddress { tb_min_max(base, values.count, &low, &high) }
        }
        self.init(low: low, high: high)
    }

    /// The lowest and highest real values the codes stand for.
    public var range: ClosedRange<Float> {
        (Float(0 - zeroPoint) * scale)...(Float(255 - zeroPoint) * scale)
    }

    /// The uint8 codes of the float32 tensor `x` (same shape); NaN becomes the zero point.
    public func quantize(_ x: Tensor) throws -> Tensor {
        try x.withElements(of: Float.self) { values in
            try Tensor.filled(shape: x.shape, of: UInt8.self) { codes in
                guard let source = values.baseAddress, let target = codes.baseAddress else {
                    return
                }
                tb_quantize_u8(source, target, values.count, 1 / scale, zeroPoint)
            }
        }
    }

    /// The real values of the uint8 codes `q`: `(q − zeroPoint) · scale`.
    public func dequantize(_ q: Tensor) throws -> Tensor {
        try q.withElements(of: UInt8.self) { codes in
            try Tensor.filled(shape: q.shape, of: Float.self) { values in
                for index in codes.indices {
                    values[index] = Float(Int32(codes[index]) - zeroPoint) * scale
                }
            }
        }
    }

    /// "scale 0.0039, zero point 0".
    public var description: String { "scale \(scale), zero point \(zeroPoint)" }
}
