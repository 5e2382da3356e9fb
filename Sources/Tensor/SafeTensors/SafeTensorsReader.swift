/// Reads a safetensors file: the length, the header, the layout check against the file size,
/// then each tensor straight into its storage (converting the types Trainbook does not hold).
struct SafeTensorsReader<Source: RandomAccessBytes> {
    let source: Source

    func read() throws(SafeTensorsError) -> SafeTensorsFile {
        let path = source.path
        guard source.size >= 8 else {
            throw .invalidHeader(
                path: path,
                problem: "the file has \(source.size) bytes, fewer than the 8-byte header length")
        }
        let declared = try source.bytes(at: 0, count: 8).reversed().reduce(UInt64(0)) {
            $0 << 8 | UInt64($1)
        }
        guard declared <= UInt64(SafeTensorsHeader.maximumLength) else {
            throw .invalidHeader(
                path: path,
                problem: "the header length \(declared) exceeds the format's limit of "
                    + "\(SafeTensorsHeader.maximumLength) bytes")
        }
        let headerLength = Int(declared)
        guard headerLength <= source.size - 8 else {
            throw .invalidHeader(
                path: path,
                problem: "truncated: the header length \(headerLength) runs past the end of the "
                    + "\(source.size)-byte file")
        }
        let header = try SafeTensorsHeader(
            parsing: source.bytes(at: 8, count: headerLength), path: path)
        let dataStart = 8 + headerLength
        guard header.dataLength == source.size - dataStart else {
            throw .dataLengthMismatch(
                path: path, expected: header.dataLength, actual: source.size - dataStart)
        }
        for entry in header.entries where entry.dtype.readAs == nil {
            throw .unsupportedDType(path: path, tensor: entry.name, dtype: entry.dtype.rawValue)
        }
        var file = SafeTensorsFile(metadata: header.metadata)
        for entry in header.entries {
            file.tensors[entry.name] = try tensor(entry, dataStart: dataStart)
            if let dtype = entry.dtype.readAs, SafeTensorsDType(dtype) != entry.dtype {
                file.convertedFrom[entry.name] = entry.dtype.rawValue
            }
        }
        return file
    }

    private func tensor(_ entry: SafeTensorsHeader.Entry, dataStart: Int)
        throws(SafeTensorsError) -> Tensor
    {
        guard let dtype = entry.dtype.readAs else {
            throw .unsupportedDType(
                path: source.path, tensor: entry.name, dtype: entry.dtype.rawValue)
        }
        let result: Tensor
        do throws(TensorError) {
            result = try Tensor(
                uninitializedShape: entry.shape, dtype: dtype, operation: "safetensors read")
        } catch {
            throw .tensor(error)
        }
        let target = result.storage.base
        let offset = dataStart + entry.begin
        if SafeTensorsDType(dtype) == entry.dtype {
            try source.read(at: offset, count: entry.byteCount, into: target)
            return result
        }
        let stored = UnsafeMutableRawBufferPointer.allocate(
            byteCount: max(entry.byteCount, 1), alignment: 8)
        defer { stored.deallocate() }
        guard let base = stored.baseAddress else { return result }
        try source.read(at: offset, count: entry.byteCount, into: base)
        try convert(entry, from: UnsafeRawPointer(base), into: target)
        return result
    }

    /// Converts `entry.elementCount` stored values into the tensor storage at `target`.
    private func convert(
        _ entry: SafeTensorsHeader.Entry, from stored: UnsafeRawPointer,
        into target: UnsafeMutableRawPointer
    ) throws(SafeTensorsError) {
        let count = entry.elementCount
        let size = entry.dtype.byteSize
        switch entry.dtype {
        case .float64:
            let floats = target.assumingMemoryBound(to: Float.self)
            for index in 0..<count {
                let bits = StoredValue.littleEndian(stored + index * 8, size: 8)
                floats[index] = Float(Double(bitPattern: bits))
            }
        case .float16, .bfloat16:
            let floats = target.assumingMemoryBound(to: Float.self)
            let isHalf = entry.dtype == .float16
            for index in 0..<count {
                let bits = UInt16(StoredValue.littleEndian(stored + index * 2, size: 2))
                floats[index] =
                    isHalf ? StoredValue.float(half: bits) : StoredValue.float(bfloat: bits)
            }
        case .int64, .uint64, .uint32, .int16, .uint16:
            let integers = target.assumingMemoryBound(to: Int32.self)
            let signed = entry.dtype == .int64 || entry.dtype == .int16
            for index in 0..<count {
                let bits = StoredValue.littleEndian(stored + index * size, size: size)
                let value: Int64? =
                    signed
                    ? Int64(truncatingIfNeeded: bits << (64 - 8 * size)) >> (64 - 8 * size)
                    : (bits <= UInt64(Int64.max) ? Int64(bits) : nil)
                guard let value, let narrow = Int32(exactly: value) else {
                    throw .unconvertible(
                        path: source.path, tensor: entry.name,
                        problem: "element \(index) of \(entry.dtype.rawValue) does not fit in "
                            + "Int32 (Trainbook reads integer tensors as Int32)")
                }
                integers[index] = narrow
            }
        case .bool:
            let bytes = target.assumingMemoryBound(to: UInt8.self)
            for index in 0..<count {
                let byte = stored.load(fromByteOffset: index, as: UInt8.self)
                guard byte <= 1 else {
                    throw .unconvertible(
                        path: source.path, tensor: entry.name,
                        problem: "element \(index) of BOOL is \(byte), not 0 or 1")
                }
                bytes[index] = byte
            }
        case .float32, .int32, .uint8, .int8, .float8E5M2, .float8E4M3:
            throw .unsupportedDType(
                path: source.path, tensor: entry.name, dtype: entry.dtype.rawValue)
        }
    }
}
