/// The element type of a tensor.
///
/// Float32 is the type of every trainable value; the integer types hold data compactly:
/// `uint8` for images (a data set converts one batch at a time), `int32` for labels and indices,
/// `int8` for quantized weights (see `QuantizedTensor`).
public enum DType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 32-bit IEEE 754 floating point.
    case float32
    /// 32-bit signed integer.
    case int32
    /// 8-bit unsigned integer.
    case uint8
    /// 8-bit signed integer.
    case int8

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .uint8, .int8: return 1
        }
    }

    /// The name, as NumPy and PyTorch spell it.
    public var description: String { rawValue }
}

/// A Swift type that can be the element of a tensor: `Float`, `Int32`, `UInt8` or `Int8`.
public protocol TensorScalar: Sendable {
    /// The dtype of tensors holding this type.
    static var dtype: DType { get }
    /// The value as a Float (exact for every integer type here except Int32 beyond 2^24).
    var floatValue: Float { get }
    /// The value nearest to `value`, saturating at the type's bounds; NaN becomes zero.
    init(clamping value: Float)
}

extension Float: TensorScalar {
    /// `.float32`.
    public static var dtype: DType { .float32 }
    /// The value itself.
    public var floatValue: Float { self }
    /// The value itself.
    public init(clamping value: Float) { self = value }
}

extension Int32: TensorScalar {
    /// `.int32`.
    public static var dtype: DType { .int32 }
    /// The value as a Float.
    public var floatValue: Float { Float(self) }
    /// The nearest Int32, saturating; NaN becomes zero.
    public init(clamping value: Float) {
        self = Int32(clampingFloat: value, lowest: Int32.min, highest: Int32.max)
    }
}

extension UInt8: TensorScalar {
    /// `.uint8`.
    public static var dtype: DType { .uint8 }
    /// The value as a Float.
    public var floatValue: Float { Float(self) }
    /// The nearest UInt8, saturating; NaN becomes zero.
    public init(clamping value: Float) {
        self = UInt8(clampingFloat: value, lowest: UInt8.min, highest: UInt8.max)
    }
}

extension Int8: TensorScalar {
    /// `.int8`.
    public static var dtype: DType { .int8 }
    /// The value as a Float.
    public var floatValue: Float { Float(self) }
    /// The nearest Int8, saturating; NaN becomes zero.
    public init(clamping value: Float) {
        self = Int8(clampingFloat: value, lowest: Int8.min, highest: Int8.max)
    }
}

extension FixedWidthInteger {
    /// Rounds `value` to the nearest integer and clamps it into `lowest...highest` without
    /// trapping (NaN becomes zero).
    @inline(__always)
    init(clampingFloat value: Float, lowest: Self, highest: Self) {
        guard !value.isNaN else {
            self = 0
            return
        }
        let rounded = value.rounded(.toNearestOrEven)
        if rounded <= Float(lowest) {
            self = lowest
        } else if rounded >= Float(highest) {
            self = highest
        } else {
            self = Self(rounded)
        }
    }
}
