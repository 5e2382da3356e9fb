import CZlib

/// The decompressed bytes of a gzip file (RFC 1952), inflated by zlib on demand, exactly as many
/// as asked for, so that a reader allocates only what the header it has checked asks for.
///
/// Concatenated gzip members are read as one stream, as gzip(1) does. Inflating to the end of
/// the last member checks its CRC-32 and length; data after it is an error.
struct GzipByteSource: ByteSource {
    let path: String
    private let inflater: Inflater

    /// The most bytes deflate can expand to per compressed byte (its best case, a long run of
    /// one byte, gives 1032:1), used to bound what a header may claim.
    static let maximumExpansion = 1032

    init(_ bytes: [UInt8], path: String) throws(DataError) {
        self.path = path
        self.inflater = try Inflater(input: bytes, path: path)
    }

    var maximumRemaining: Int {
        let (bound, overflow) = inflater.remainingInput.multipliedReportingOverflow(
            by: Self.maximumExpansion)
        return overflow ? Int.max : bound + 1024
    }

    mutating func read(_ count: Int, expecting what: String) throws(DataError) -> [UInt8] {
        guard count >= 0 else {
            throw .corruptFile(path: path, problem: "\(what) has a negative size")
        }
        var failure: DataError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(DataError) {
                let produced = try inflater.inflate(into: UnsafeMutableRawBufferPointer(buffer))
                buffer.baseAddress?.advanced(by: produced).initialize(
                    repeating: 0, count: count - produced)
                initialized = count
                if produced < count {
                    failure = .corruptFile(
                        path: path,
                        problem: "truncated: \(what) needs \(count) bytes, but the compressed "
                            + "data ends after \(produced)")
                }
            } catch {
                buffer.baseAddress?.initialize(repeating: 0, count: count)
                initialized = count
                failure = error
            }
        }
        if let failure { throw failure }
        return bytes
    }

    mutating func expectEnd() throws(DataError) {
        var probe: UInt8 = 0
        let extra = try withUnsafeMutableBytes(of: &probe) { (buffer) throws(DataError) in
            try inflater.inflate(into: buffer)
        }
        guard extra == 0 else {
            throw .corruptFile(
                path: path, problem: "the decompressed data is longer than its header says")
        }
    }
}

// MARK: - The zlib stream

/// One zlib inflate stream over an input held in memory. A class because zlib keeps a pointer
/// back to its `z_stream`, which must therefore never move.
private final class Inflater {
    private let input: [UInt8]
    private let path: String
    private let stream: UnsafeMutablePointer<z_stream>
    private var consumed = 0
    private var finished = false

    init(input: [UInt8], path: String) throws(DataError) {
        self.input = input
        self.path = path
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 16 + 15: a gzip wrapper and the largest window.
        let status = inflateInit2_(
            stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw .unreadableFile(path: path, reason: "zlib could not start (status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Compressed bytes not yet consumed.
    var remainingInput: Int { input.count - consumed }

    /// Fills `output` with decompressed bytes, returning how many were produced: fewer than
    /// asked only when the compressed data has ended.
    func inflate(into output: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
        guard let outputBase = output.baseAddress else { return 0 }
        var produced = 0
        while produced < output.count, !finished {
            let outputChunk = min(output.count - produced, Int(UInt32.max))
            let inputChunk = min(input.count - consumed, Int(UInt32.max))
            let (status, used, made) = input.withUnsafeBytes { inputBuffer in
                let inputBase = inputBuffer.baseAddress.map {
                    UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
                        + consumed
                }
                stream.pointee.next_in = inputBase
                stream.pointee.avail_in = UInt32(inputChunk)
                stream.pointee.next_out = (outputBase + produced).assumingMemoryBound(
                    to: Bytef.self)
                stream.pointee.avail_out = UInt32(outputChunk)
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                let used = inputChunk - Int(stream.pointee.avail_in)
                let made = outputChunk - Int(stream.pointee.avail_out)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
                return (status, used, made)
            }
            consumed += used
            produced += made
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                try startNextMemberOrFinish()
            case Z_BUF_ERROR where used == 0 && made == 0:
                throw .corruptFile(
                    path: path,
                    problem: "truncated: the gzip stream ends before its last member is "
                        + "complete (after \(consumed) compressed bytes)")
            case Z_BUF_ERROR:
                continue
            default:
                throw .corruptFile(
                    path: path,
                    problem: "bad gzip data after \(consumed) compressed bytes (zlib: "
                        + "\(message(for: status)))")
            }
        }
        return produced
    }

    /// At the end of a member: another gzip member follows, or the input must end.
    private func startNextMemberOrFinish() throws(DataError) {
        let rest = input.count - consumed
        if rest == 0 {
            finished = true
            return
        }
        guard rest >= 2, input[consumed] == 0x1f, input[consumed + 1] == 0x8b else {
            throw .corruptFile(
                path: path,
                problem: "\(rest) unexpected bytes after the end of the gzip data")
        }
        inflateReset(stream)
    }

    private func message(for status: Int32) -> String {
        if let text = stream.pointee.msg { return String(cString: text) }
        return "status \(status)"
    }
}
