// safetensors: named tensors and string metadata in Hugging Face's file format.
//
// Design note. The format (huggingface/safetensors, "Format") is an 8-byte little-endian header
// length N, N bytes of JSON — {name: {dtype, shape, data_offsets: [begin, end]}} plus an optional
// string → string `__metadata__` — then the tensors' bytes, row-major and little-endian, packed
// back to back. Reading is strict: the header length, UTF-8, JSON syntax (duplicate keys
// included), every field, every offset and the total length are checked before any tensor is
// allocated, and each tensor is then read straight into its storage. Writing is deterministic
// and byte-identical to the reference implementation (tensors sorted by dtype alignment then
// name, compact JSON, header padded with spaces to 8 bytes), and atomic: a temporary file in
// the same directory, fsync, rename, fsync of the directory.
//
// F32, I32, U8 and I8 load as they are; F64, F16 and BF16 load as Float32; I64, U64, U32, I16
// and U16 load as Int32 when every value fits; BOOL loads as UInt8. F8 types are refused.

import Files

#if !_endian(little)
    #error("safetensors I/O assumes a little-endian machine")
#endif

/// The contents of a safetensors file: named tensors and string metadata.
///
/// ```swift
/// let weights = SafeTensorsFile(
///     tensors: ["1.weight": w, "1.bias": b], metadata: ["format": "pt"])
/// try weights.write(to: "model.safetensors")
/// let loaded = try SafeTensorsFile.read("model.safetensors")
/// loaded.tensors["1.weight"]?.shape   // [128, 784]
/// ```
public struct SafeTensorsFile: Sendable {
    /// The tensors by name.
    public var tensors: [String: Tensor]
    /// Free-form string metadata (`__metadata__`), such as `["format": "pt"]`.
    public var metadata: [String: String]
    /// For tensors read from a file, the dtype the file stored when it differs from the
    /// tensor's (`"F16"` for a half-precision tensor read as float32).
    public internal(set) var convertedFrom: [String: String] = [:]

    /// Tensors and metadata to write.
    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and checks the safetensors file at `path`.
    ///
    /// - Throws: `SafeTensorsError` naming the file, and the tensor when one is to blame.
    public static func read(_ path: String) throws(SafeTensorsError) -> SafeTensorsFile {
        let source = try FileByteSource(path: path)
        return try SafeTensorsReader(source: source).read()
    }

    /// Decodes a whole safetensors file held in memory (`path` names it in errors).
    public init(decoding bytes: [UInt8], path: String = "<memory>") throws(SafeTensorsError) {
        self = try SafeTensorsReader(source: MemoryByteSource(bytes: bytes, path: path)).read()
    }

    /// Writes the tensors and metadata to `path` atomically (the shared `AtomicFile`): into a
    /// temporary file in the same directory, synced, then renamed over `path` (over the target
    /// of a symbolic link), and the directory synced. A failed write removes the temporary file.
    ///
    /// - Throws: `invalidName` for a tensor named `__metadata__`; `unwritableFile` when the
    ///   directory cannot be written.
    public func write(to path: String) throws(SafeTensorsError) {
        let layout = try SafeTensorsWriter(self)
        let file: AtomicFile
        do {
            file = try AtomicFile(path: path)
        } catch {
            throw .unwritableFile(path: path, reason: error.reason)
        }
        var sink = AtomicFileByteSink(file: file)
        try layout.write(to: &sink)
        do {
            try file.commit()
        } catch {
            throw .unwritableFile(path: path, reason: error.reason)
        }
    }

    /// The file's bytes, exactly as `write(to:)` writes them.
    public func encoded() throws(SafeTensorsError) -> [UInt8] {
        var sink = MemoryByteSink()
        try SafeTensorsWriter(self).write(to: &sink)
        return sink.bytes
    }
}
