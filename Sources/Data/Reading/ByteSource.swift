/// Bytes read in order from a file held in memory, raw or gzip-compressed, so that a format
/// reader can take its header first and size its payload from it.
protocol ByteSource {
    /// The file the bytes come from (for error messages).
    var path: String { get }
    /// The most bytes this source could still deliver (an upper bound, used to refuse a lying
    /// header before allocating for it).
    var maximumRemaining: Int { get }
    /// Exactly `count` more bytes, or an error naming what was expected if the file ends first.
    mutating func read(_ count: Int, expecting what: String) throws(DataError) -> [UInt8]
    /// Checks that nothing follows the bytes read so far.
    mutating func expectEnd() throws(DataError)
}

/// Chooses the source for a file's bytes: gzip when they start with the gzip magic number
/// (RFC 1952: 0x1f 0x8b), raw otherwise.
func makeByteSource(_ bytes: [UInt8], path: String) throws(DataError) -> any ByteSource {
    if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b {
        return try GzipByteSource(bytes, path: path)
    }
    return RawByteSource(bytes, path: path)
}

/// The bytes of an uncompressed file.
struct RawByteSource: ByteSource {
    let path: String
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    var maximumRemaining: Int { bytes.count - position }

    mutating func read(_ count: Int, expecting what: String) throws(DataError) -> [UInt8] {
        guard count >= 0, count <= bytes.count - position else {
            throw .corruptFile(
                path: path,
                problem: "truncated: \(what) needs \(count) bytes at offset \(position), "
                    + "but the file has only \(bytes.count) bytes")
        }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    mutating func expectEnd() throws(DataError) {
        guard position == bytes.count else {
            throw .corruptFile(
                path: path,
                problem: "\(bytes.count - position) unexpected bytes after the data "
                    + "(the file should end at offset \(position))")
        }
    }
}
