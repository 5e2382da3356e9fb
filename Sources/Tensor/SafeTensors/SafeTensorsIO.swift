import Files
import Foundation

// Where safetensors bytes come from and go to: a file (POSIX calls, retried on EINTR) or memory.

/// Bytes that can be read at any offset.
protocol RandomAccessBytes {
    /// The file name, for error messages.
    var path: String { get }
    /// The total number of bytes.
    var size: Int { get }
    /// Copies `count` bytes starting at `offset` (which the caller has checked lie inside).
    func read(at offset: Int, count: Int, into target: UnsafeMutableRawPointer)
        throws(SafeTensorsError)
}

/// A file read with `pread`, so tensors are read straight into their storage.
final class FileByteSource: RandomAccessBytes {
    let path: String
    let size: Int
    private let descriptor: Int32

    init(path: String) throws(SafeTensorsError) {
        self.path = path
        switch RegularFile.openForReading(path) {
        case .success(let file):
            descriptor = file.descriptor
            size = file.size
        case .failure(let problem):
            throw .unreadableFile(path: path, reason: problem.reason)
        }
    }

    deinit { close(descriptor) }

    func read(at offset: Int, count: Int, into target: UnsafeMutableRawPointer)
        throws(SafeTensorsError)
    {
        var done = 0
        while done < count {
            let result = pread(descriptor, target + done, count - done, off_t(offset + done))
            if result < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(path: path, reason: systemErrorText())
            }
            guard result > 0 else {
                throw .unreadableFile(path: path, reason: "the file shrank while it was read")
            }
            done += result
        }
    }
}

/// A whole file already in memory.
struct MemoryByteSource: RandomAccessBytes {
    let bytes: [UInt8]
    let path: String
    var size: Int { bytes.count }

    func read(at offset: Int, count: Int, into target: UnsafeMutableRawPointer)
        throws(SafeTensorsError)
    {
        guard count > 0 else { return }
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            target.copyMemory(from: base + offset, byteCount: count)
        }
    }
}

/// Somewhere to write bytes in order.
protocol ByteSink {
    /// Appends `bytes`.
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(SafeTensorsError)
}

extension RandomAccessBytes {
    /// `count` bytes starting at `offset`, as an array.
    func bytes(at offset: Int, count: Int) throws(SafeTensorsError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 8)
        defer { buffer.deallocate() }
        guard let base = buffer.baseAddress else { return [] }
        try read(at: offset, count: count, into: base)
        return Array(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
}

extension ByteSink {
    /// Appends the bytes of an array.
    mutating func write(_ bytes: [UInt8]) throws(SafeTensorsError) {
        let failure: SafeTensorsError? = bytes.withUnsafeBytes { buffer in
            do throws(SafeTensorsError) {
                try write(buffer)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }
}

/// Bytes collected in memory.
struct MemoryByteSink: ByteSink {
    var bytes: [UInt8] = []

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(SafeTensorsError) {
        self.bytes.append(contentsOf: bytes)
    }
}

/// A file being written atomically (the shared `AtomicFile`).
struct AtomicFileByteSink: ByteSink {
    let file: AtomicFile

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(SafeTensorsError) {
        do {
            try file.write(bytes)
        } catch {
            throw .unwritableFile(path: error.path, reason: error.reason)
        }
    }
}

/// The text of the current `errno`, in lower case ("no such file or directory").
private func systemErrorText() -> String {
    String(cString: strerror(errno)).lowercased()
}
