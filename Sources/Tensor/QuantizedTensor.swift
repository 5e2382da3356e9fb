import Foundation

/// An int8 tensor with the scales and zero points that map it back to real values,
/// x ≈ (q − zeroPoint) · scale, per tensor or per channel along one axis (Jacob et al., 2018,
/// "Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-Only
/// Inference").
///
/// ```swift
/// let q = try QuantizedTensor(quantizing: weight, axis: 0)   // per output channel, symmetric
/// let approx = try q.dequantized()
/// q.byteCount                                                // a quarter of weight's
/// ```
public struct QuantizedTensor: Sendable {
    /// The quantized values, int8, contiguous.
    public let values: Tensor
    /// One scale per channel along `axis` (one in all when `axis` is nil), all positive.
    public let scales: [Float]
    /// One zero point per scale, in -128...127.
    public let zeroPoints: [Int32]
    /// The channel axis of per-channel quantization; nil for per-tensor.
    public let axis: Int?

    /// How the range of the values is mapped to int8.
    public enum Scheme: Sendable, Hashable {
        /// Zero point 0, scale = max |x| / 127: zero stays exact; the usual choice for weights.
        case symmetric
        /// Scale and zero point chosen so [min, max] (widened to include 0) fills -128...127:
        /// the usual choice for activations that are mostly positive.
        case affine
    }

    /// The shape of the tensor.
    public var shape: [Int] { values.shape }

    /// Bytes needed to store it: one per value plus the scales and zero points.
    public var byteCount: Int { values.elementCount + scales.count * 8 }

    /// A quantized tensor from already quantized parts; checks that they fit together.
    public init(values: Tensor, scales: [Float], zeroPoints: [Int32], axis: Int? = nil)
        throws(TensorError)
    {
        guard values.dtype == .int8 else {
            throw .dtypeMismatch(
                operation: "QuantizedTensor", expected: "int8", actual: values.dtype)
        }
        let channels: Int
        if let axis {
            let normalized = try normalizedAxis(
                axis, rank: values.rank, operation: "QuantizedTensor")
            channels = values.shape[normalized]
            self.axis = normalized
        } else {
            channels = 1
            self.axis = nil
        }
        guard scales.count == channels, zeroPoints.count == channels else {
            throw .invalidArgument(
                operation: "QuantizedTensor",
                message: "expected \(channels) scales and zero points, got \(scales.count) and "
                    + "\(zeroPoints.count)")
        }
        guard scales.allSatisfy({ $0 > 0 && $0.isFinite }),
            zeroPoints.allSatisfy({ (-128...127).contains($0) })
        else {
            throw .invalidArgument(
                operation: "QuantizedTensor",
                message: "scales must be positive and finite, zero points within -128...127")
        }
        self.values = try values.contiguous()
        self.scales = scales
        self.zeroPoints = zeroPoints
    }

    /// Quantizes a float32 tensor, choosing scales and zero points from its range (per channel
    /// along `axis` when given).
    public init(quantizing tensor: Tensor, axis: Int? = nil, scheme: Scheme = .symmetric)
        throws(TensorError)
    {
        try tensor.requireFloat("quantize")
        let layout = try ChannelLayout(shape: tensor.shape, axis: axis, operation: "quantize")
        let source = try tensor.detached.contiguous()
        let x = source.floats
        var lows = [Float](repeating: 0, count: layout.channels)
        var highs = [Float](repeating: 0, count: layout.channels)
        for index in 0..<source.elementCount {
            let channel = layout.channel(of: index)
            lows[channel] = Swift.min(lows[channel], x[index])
            highs[channel] = Swift.max(highs[channel], x[index])
        }
        var scales: [Float] = []
        var zeroPoints: [Int32] = []
        for (low, high) in Swift.zip(lows, highs) {
            let (scale, zeroPoint) = Self.parameters(low: low, high: high, scheme: scheme)
            scales.append(scale)
            zeroPoints.append(zeroPoint)
        }
        try self.init(quantizing: tensor, scales: scales, zeroPoints: zeroPoints, axis: axis)
    }

    /// Quantizes a float32 tensor with given (calibrated) scales and zero points.
    public init(quantizing tensor: Tensor, scales: [Float], zeroPoints: [Int32], axis: Int? = nil)
        throws(TensorError)
    {
        try tensor.requireFloat("quantize")
        let layout = try ChannelLayout(shape: tensor.shape, axis: axis, operation: "quantize")
        let source = try tensor.detached.contiguous()
        let quantized = try Tensor(uninitializedShape: tensor.shape, dtype: .int8)
        guard scales.count == layout.channels, zeroPoints.count == layout.channels else {
            throw .invalidArgument(
                operation: "quantize",
                message: "expected \(layout.channels) scales and zero points")
        }
        let x = source.floats
        let q = quantized.pointer(Int8.self)
        for index in 0..<source.elementCount {
            let channel = layout.channel(of: index)
            let level = x[index] / scales[channel] + Float(zeroPoints[channel])
            q[index] = Int8(clamping: level)
        }
        try self.init(values: quantized, scales: scales, zeroPoints: zeroPoints, axis: axis)
    }

    /// The real values these integers stand for: (q − zeroPoint) · scale.
    public func dequantized() throws(TensorError) -> Tensor {
        let layout = try ChannelLayout(shape: shape, axis: axis, operation: "dequantize")
        let result = try Tensor(uninitializedShape: shape, dtype: .float32)
        let q = values.pointer(Int8.self)
        let x = result.floats
        for index in 0..<values.elementCount {
            let channel = layout.channel(of: index)
            x[index] = Float(Int32(q[index]) - zeroPoints[channel]) * scales[channel]
        }
        return result
    }

    /// The scale and zero point that map [low, high] (which includes 0) onto int8.
    static func parameters(low: Float, high: Float, scheme: Scheme) -> (Float, Int32) {
        switch scheme {
        case .symmetric:
            let bound = Swift.max(Swift.abs(low), Swift.abs(high))
            return (bound > 0 ? bound / 127 : 1, 0)
        case .affine:
            let span = high - low
            guard span > 0 else { return (1, 0) }
            let scale = span / 255
            let zeroPoint = Int32(clamping: (-128 - low / scale).rounded())
            return (scale, Swift.max(-128, Swift.min(127, zeroPoint)))
        }
    }
}

/// Which channel each element of a contiguous tensor belongs to, for per-channel parameters.
struct ChannelLayout {
    /// Number of channels (1 for per-tensor).
    let channels: Int
    /// Elements per step along the channel axis.
    let inner: Int

    init(shape: [Int], axis: Int?, operation: String) throws(TensorError) {
        guard let axis else {
            channels = 1
            inner = 1
            return
        }
        let normalized = try normalizedAxis(axis, rank: shape.count, operation: operation)
        channels = shape[normalized]
        inner = shape[(normalized + 1)...].reduce(1, *)
    }

    @inline(__always)
    func channel(of index: Int) -> Int {
        channels == 1 ? 0 : (index / Swift.max(inner, 1)) % channels
    }
}

extension Tensor {
    /// Quantizes and immediately dequantizes with the given parameters ("fake quantization"
    /// for quantization-aware training): the forward pass sees int8 rounding, the backward pass
    /// is the straight-through estimator (Bengio et al., 2013) — the gradient passes where the
    /// value is inside the representable range and is 0 where it was clipped.
    public func fakeQuantized(scales: [Float], zeroPoints: [Int32], axis: Int? = nil)
        throws(TensorError) -> Tensor
    {
        let quantized = try QuantizedTensor(
            quantizing: self, scales: scales, zeroPoints: zeroPoints, axis: axis)
        var result = try quantized.dequantized()
        if Tensor.recordsGradient(self) {
            let layout = try ChannelLayout(shape: shape, axis: axis, operation: "fakeQuantized")
            let input = try detached.contiguous()
            result.recordGradient("fakeQuantized", inputs: [self]) { gradient throws(TensorError) in
                let mask = try Tensor(uninitializedShape: input.shape, dtype: .float32)
                let x = input.floats
                let m = mask.floats
                for index in 0..<input.elementCount {
                    let channel = layout.channel(of: index)
                    let level = x[index] / scales[channel] + Float(zeroPoints[channel])
                    m[index] = level >= -128.5 && level <= 127.5 ? 1 : 0
                }
                return [try gradient * mask]
            }
        }
        return result
    }
}
