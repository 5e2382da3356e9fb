/// Lays out a `SafeTensorsFile` and writes it: the 8-byte length, the padded header, then each
/// tensor's bytes straight from its (contiguous) storage.
struct SafeTensorsWriter {
    private let header: SafeTensorsHeader
    /// The tensors in data order, each contiguous.
    private let ordered: [Tensor]

    init(_ file: SafeTensorsFile) throws(SafeTensorsError) {
        if file.tensors[SafeTensorsHeader.metadataKey] != nil {
            throw .invalidName(
                name: SafeTensorsHeader.metadataKey,
                problem: "the name is reserved for the file's metadata")
        }
        var contiguous: [String: Tensor] = [:]
        for (name, tensor) in file.tensors {
            do throws(TensorError) {
                contiguous[name] = try tensor.isContiguous ? tensor : tensor.contiguous()
            } catch {
                throw .tensor(error)
            }
        }
        header = SafeTensorsHeader(
            laying: contiguous.map { name, tensor in
                (
                    name, SafeTensorsDType(tensor.dtype), tensor.shape,
                    tensor.elementCount * tensor.dtype.byteSize
                )
            },
            metadata: file.metadata)
        ordered = header.entries.compactMap { contiguous[$0.name] }
    }

    func write<Sink: ByteSink>(to sink: inout Sink) throws(SafeTensorsError) {
        let headerBytes = header.encoded
        let length = UInt64(headerBytes.count)
        try sink.write((0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) })
        try sink.write(headerBytes)
        for tensor in ordered {
            let byteSize = tensor.dtype.byteSize
            let start = UnsafeRawPointer(tensor.storage.base) + tensor.offset * byteSize
            try sink.write(
                UnsafeRawBufferPointer(start: start, count: tensor.elementCount * byteSize))
        }
    }
}
