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
        let descriptor: Int32
        let size: Int
        switch RegularFile.openForReading(path) {
        case .success(let file): (descriptor, size) = (file.descriptor, file.size)
        case .failure(let problem): throw .unreadableFile(path: path, reason: problem.reason)
        }
        defer { close(descriptor) }
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
                    return RegularFile.systemErrorText()
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
}

/// How many bytes a reader may still allocate: what the session's memory budget has left.
enum MemoryRoom {
    /// The memory budget's limit minus what is in use, never negative.
    static var available: Int {
        let budget = MemoryBudget.current
        return max(0, budget.limit - budget.inUseBytes)
    }
}
