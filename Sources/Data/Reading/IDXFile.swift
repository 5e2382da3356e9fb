import Tensor

/// An array read from an IDX file, the format of MNIST and its relatives (LeCun et al., "The
/// MNIST database of handwritten digits"): a magic number `00 00 TT RR` naming the element type
/// `TT` and the rank `RR`, then `RR` big-endian 32-bit dimensions, then the elements, row-major
/// and big-endian.
///
/// The reader takes raw or gzip files (detected by their magic number), checks the header and
/// refuses a payload that the file cannot hold or the memory budget cannot afford before
/// allocating it, and requires the file to end exactly where the header says.
///
/// ```swift
/// let images = try IDXFile.read("train-images-idx3-ubyte.gz")   // shape [60000, 28, 28]
/// let pixels = try images.bytes()                                 // 47,040,000 UInt8
/// ```
public struct IDXFile: Sendable {
    /// The element type named by the third byte of the magic number.
    public enum ElementType: UInt8, Sendable, CaseIterable {
        /// Unsigned byte (0x08), the type of MNIST images and labels.
        case uint8 = 0x08
        /// Signed byte (0x09).
        case int8 = 0x09
        /// Big-endian 16-bit signed integer (0x0B).
        case int16 = 0x0B
        /// Big-endian 32-bit signed integer (0x0C).
        case int32 = 0x0C
        /// Big-endian IEEE 754 single precision (0x0D).
        case float32 = 0x0D
        /// Big-endian IEEE 754 double precision (0x0E).
        case float64 = 0x0E

        /// Bytes per element.
        public var byteSize: Int {
            switch self {
            case .uint8, .int8: return 1
            case .int16: return 2
            case .int32, .float32: return 4
            case .float64: return 8
            }
        }
    }

    /// The file the array was read from.
    public let path: String
    /// The element type.
    public let elementType: ElementType
    /// The dimensions, outermost first (for MNIST images: count, rows, columns).
    public let shape: [Int]
    /// The elements as stored: row-major, big-endian.
    let payload: [UInt8]

    /// Reads the IDX file at `path`, raw or gzip-compressed.
    ///
    /// - Throws: `unreadableFile`, `corruptFile` naming the file and what is wrong (bad magic,
    ///   unknown type, truncated or trailing data, bad gzip), or `fileTooLarge` when the header
    ///   claims more than the file or the memory budget can hold.
    public static func read(_ path: String) throws(DataError) -> IDXFile {
        var source = try makeByteSource(FileBytes.read(path), path: path)
        return try read(from: &source)
    }

    static func read(from source: inout any ByteSource) throws(DataError) -> IDXFile {
        let path = source.path
        let magic = try source.read(4, expecting: "the IDX magic number")
        guard magic[0] == 0, magic[1] == 0 else {
            throw .corruptFile(
                path: path,
                problem: "not an IDX file: the magic number must start with two zero bytes, "
                    + "got \(hex(magic))")
        }
        guard let elementType = ElementType(rawValue: magic[2]) else {
            throw .corruptFile(
                path: path, problem: "unknown IDX element type 0x\(hexByte(magic[2]))")
        }
        let rank = Int(magic[3])
        guard rank >= 1 else {
            throw .corruptFile(path: path, problem: "the IDX header declares rank 0")
        }
        let dimensionBytes = try source.read(4 * rank, expecting: "\(rank) IDX dimensions")
        var shape: [Int] = []
        var count = 1
        for axis in 0..<rank {
            let dimension = dimensionBytes[(4 * axis)..<(4 * axis + 4)].reduce(0) {
                $0 << 8 | Int($1)
            }
            shape.append(dimension)
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            count = overflow ? Int.max : product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: elementType.byteSize)
        let payloadBytes = overflow ? Int.max : byteCount
        let limit = min(source.maximumRemaining, MemoryRoom.available)
        guard payloadBytes <= limit else {
            if payloadBytes > source.maximumRemaining, source is RawByteSource {
                throw .corruptFile(
                    path: path,
                    problem: "truncated: the header declares shape \(shape) "
                        + "(\(payloadBytes) bytes of data) but only \(source.maximumRemaining) "
                        + "bytes follow it")
            }
            throw .fileTooLarge(path: path, requestedBytes: payloadBytes, limitBytes: limit)
        }
        let payload = try source.read(payloadBytes, expecting: "the data of shape \(shape)")
        try source.expectEnd()
        return IDXFile(path: path, elementType: elementType, shape: shape, payload: payload)
    }

    /// The number of elements (the product of the shape).
    public var elementCount: Int { payload.count / elementType.byteSize }

    /// The elements as bytes, for `uint8` files (images and labels).
    ///
    /// - Throws: `corruptFile` if the file holds another element type.
    public func bytes() throws(DataError) -> [UInt8] {
        guard elementType == .uint8 else {
            throw .corruptFile(
                path: path, problem: "expected unsigned bytes (0x08), found \(elementType)")
        }
        return payload
    }

    /// The elements as a tensor of this shape: uint8, int8 and int32 keep their type, int16
    /// becomes int32, float32 and float64 become float32.
    public func tensor() throws(DataError) -> Tensor {
        do throws(TensorError) {
            switch elementType {
            case .uint8:
                return try Tensor(payload, shape: shape)
            case .int8:
                return try Tensor(payload.map { Int8(bitPattern: $0) }, shape: shape)
            case .int16:
                return try Tensor(
                    bigEndianWords(2).map { Int32(Int16(truncatingIfNeeded: $0)) }, shape: shape)
            case .int32:
                return try Tensor(
                    bigEndianWords(4).map { Int32(truncatingIfNeeded: $0) }, shape: shape)
            case .float32:
                return try Tensor(
                    bigEndianWords(4).map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) },
                    shape: shape)
            case .float64:
                return try Tensor(
                    bigEndianWords(8).map { Float(Double(bitPattern: $0)) }, shape: shape)
            }
        } catch {
            throw .tensor(error)
        }
    }

    /// The payload cut into big-endian words of `size` bytes.
    private func bigEndianWords(_ size: Int) -> [UInt64] {
        stride(from: 0, to: payload.count, by: size).map { start in
            payload[start..<(start + size)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
    }
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map(hexByte).joined(separator: " ")
}

private func hexByte(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16)
    return digits.count < 2 ? "0" + digits : digits
}
