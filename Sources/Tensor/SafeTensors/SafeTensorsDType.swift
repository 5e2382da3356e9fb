/// The element types a safetensors header names, in the reference implementation's order of
/// increasing alignment (the order a writer sorts by, descending).
enum SafeTensorsDType: String, CaseIterable, Comparable {
    case bool = "BOOL"
    case uint8 = "U8"
    case int8 = "I8"
    case float8E5M2 = "F8_E5M2"
    case float8E4M3 = "F8_E4M3"
    case int16 = "I16"
    case uint16 = "U16"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int32 = "I32"
    case uint32 = "U32"
    case float32 = "F32"
    case float64 = "F64"
    case int64 = "I64"
    case uint64 = "U64"

    /// Bytes per element.
    var byteSize: Int {
        switch self {
        case .bool, .uint8, .int8, .float8E5M2, .float8E4M3: return 1
        case .int16, .uint16, .float16, .bfloat16: return 2
        case .int32, .uint32, .float32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// The Trainbook dtype a tensor of this type is read as (nil: not readable).
    var readAs: DType? {
        switch self {
        case .float32, .float64, .float16, .bfloat16: return .float32
        case .int32, .int64, .uint32, .uint64, .int16, .uint16: return .int32
        case .uint8, .bool: return .uint8
        case .int8: return .int8
        case .float8E5M2, .float8E4M3: return nil
        }
    }

    /// The stored type of a Trainbook dtype (written without conversion).
    init(_ dtype: DType) {
        switch dtype {
        case .float32: self = .float32
        case .int32: self = .int32
        case .uint8: self = .uint8
        case .int8: self = .int8
        }
    }

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    static func < (lhs: SafeTensorsDType, rhs: SafeTensorsDType) -> Bool {
        lhs.order < rhs.order
    }
}

// MARK: - Conversions of stored little-endian values

enum StoredValue {
    /// The Float value of IEEE 754 half-precision bits (binary16), subnormals, infinities and
    /// NaN included.
    static func float(half bits: UInt16) -> Float {
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int(bits >> 10) & 0x1f
        let fraction = UInt32(bits & 0x3ff)
        switch exponent {
        case 0:
            // Zero or subnormal: fraction × 2^-24.
            let magnitude = Float(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1f:
            return Float(bitPattern: sign | 0x7f80_0000 | (fraction << 13))
        default:
            return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (fraction << 13))
        }
    }

    /// The Float value of bfloat16 bits (the top half of a Float's bits).
    static func float(bfloat bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The little-endian unsigned integer of `size` bytes at `bytes`.
    @inline(__always)
    static func littleEndian(_ bytes: UnsafeRawPointer, size: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<size).reversed() {
            value = value << 8 | UInt64(bytes.load(fromByteOffset: index, as: UInt8.self))
        }
        return value
    }
}
