import Foundation
import Memory
import Tensor

/// Reads whole files into memory with POSIX calls, checking the size against the memory budget
/// before allocating and retrying reads interrupted by a signal.
enum FileBytes {
    /// Every byte of the file at `path`.
    ///
    /// - Throws: `unreadableFile` when it cannot be opened or read, `fileTooLarge` when it is
    ///   bigger than the memory budget has room for.
    static func read(_ path: String) throws(DataError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreadableFile(path: path, reason: systemErrorText())
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .unreadableFile(path: path, reason: systemErrorText())
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadableFile(path: path, reason: "not a regular file")
        }
        let size = Int(status.st_size)
        let room = MemoryRoom.available
        guard size <= room else {
            throw .fileTooLarge(path: path, requestedBytes: size, limitBytes: room)
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        let failure: String? = bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return nil }
            while filled < size {
                let count = Foundation.read(descriptor, base + filled, size - filled)
                if count < 0 {
                    if errno == EINTR { continue }
                    return systemErrorText()
                }
                if count == 0 { return "the file shrank while it was read" }
                filled += count
            }
            return nil
        }
        if let failure { throw .unreadableFile(path: path, reason: failure) }
        return bytes
    }

    /// Whether a regular file exists at `path`.
    static func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }

    private static func systemErrorText() -> String {
        String(cString: strerror(errno)).lowercased()
    }
}

/// How many bytes a reader may still allocate: what the session's memory budget has left.
enum MemoryRoom {
    /// The memory budget's limit minus what is in use, never negative.
    static var available: Int {
        let budget = MemoryBudget.current
        return max(0, budget.limit - budget.inUseBytes)
    }
}
