import Files
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The history's file on disk, shared by every kernel of the user.
///
/// Opening never blocks and accepts only a regular file (a named pipe or a device as
/// `TRAINBOOK_HISTORY` is refused, not waited on). Everything that reads or appends runs in
/// `locked(_:)`, under an exclusive `flock` on the file: kernels started together read the
/// highest session number and append their own one after the other, and a line is written
/// whole before another kernel writes. When another kernel has replaced the file (compaction
/// renames a new one over it), the lock is taken on the new file.
final class HistoryFile {
    let path: String
    private var descriptor: Int32
    private let log: @Sendable (String) -> Void
    /// How long `locked` waits for another kernel before going on without the lock.
    private static let lockPatience: Duration = .seconds(2)

    private init(path: String, descriptor: Int32, log: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.descriptor = descriptor
        self.log = log
    }

    deinit {
        close(descriptor)
    }

    /// Opens (creating it and its directory if needed, mode 0600 in a 0700 directory) the
    /// regular file at `path`; nil, logged, when that is impossible.
    static func open(_ path: String, log: @escaping @Sendable (String) -> Void) -> HistoryFile? {
        do {
            try PrivateDirectory.make((path as NSString).deletingLastPathComponent)
        } catch {
            log("history: \(error); keeping history in memory")
            return nil
        }
        guard let descriptor = openRegular(path, log: log) else { return nil }
        return HistoryFile(path: path, descriptor: descriptor, log: log)
    }

    /// Opens `path` for reading and appending without blocking (a pipe would block an ordinary
    /// open until a writer came) and checks that it is a regular file.
    private static func openRegular(_ path: String, log: @Sendable (String) -> Void) -> Int32? {
        let descriptor = Glibc.open(
            path, O_RDWR | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            log(
                "history: cannot open \(path): \(String(cString: strerror(errno))); keeping history in memory"
            )
            return nil
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            log(
                "history: \(path) is not a regular file (a pipe, a device or a directory?); keeping history in memory"
            )
            return nil
        }
        return descriptor
    }

    /// Runs `body` holding the file's lock (after `lockPatience` without it, `body` runs
    /// anyway, logged: history must never stop the kernel).
    func locked<T>(_ body: () -> T) -> T {
        let isLocked = lock()
        defer { if isLocked { _ = flock(descriptor, LOCK_UN) } }
        return body()
    }

    private func lock() -> Bool {
        let start = ContinuousClock.now
        while true {
            if let failure = takeLock() {
                log("history: cannot lock \(path) (\(failure)); writing without the lock")
                return false
            }
            // Another kernel may have replaced the file while we waited: follow it.
            guard let current = Self.identity(ofPath: path), current != identity else {
                return true
            }
            _ = flock(descriptor, LOCK_UN)
            guard let reopened = Self.openRegular(path, log: log) else { return false }
            close(descriptor)
            descriptor = reopened
        }

        /// Nil once locked, else why not.
        func takeLock() -> String? {
            while ContinuousClock.now - start <= Self.lockPatience {
                if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return nil }
                let code = errno
                guard code == EWOULDBLOCK || code == EINTR else {
                    return String(cString: strerror(code))
                }
                usleep(500)
            }
            return "held by another process for over \(Self.lockPatience)"
        }
    }

    /// Device and inode of the open file.
    private var identity: [UInt64]? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return [UInt64(status.st_dev), UInt64(status.st_ino)]
    }

    private static func identity(ofPath path: String) -> [UInt64]? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return [UInt64(status.st_dev), UInt64(status.st_ino)]
    }

    /// The file's size in bytes.
    var size: Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return 0 }
        return Int(status.st_size)
    }

    /// The last `maximumBytes` bytes of the file, starting at a line (a longer file is read
    /// from its tail, where the newest sessions are).
    func readTail(maximumBytes: Int) -> [UInt8] {
        let total = size
        let start = max(0, total - maximumBytes)
        var bytes = [UInt8](repeating: 0, count: total - start)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                pread(
                    descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled,
                    off_t(start + filled))
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        bytes.removeLast(bytes.count - filled)
        if start > 0, let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
            bytes.removeFirst(newline + 1)
        } else if start > 0 {
            bytes.removeAll()
        }
        return bytes
    }

    /// Appends `bytes` (whole lines) at the end of the file.
    func append(_ bytes: [UInt8]) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.write(
                    descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                log("history: write to \(path) failed: \(String(cString: strerror(errno)))")
                return
            }
            written += count
        }
    }

    /// Replaces the file's contents atomically (call it holding the lock); later appends go
    /// to the new file.
    func replace(with bytes: [UInt8]) {
        do {
            try AtomicFile.write(bytes, to: path, mode: 0o600)
        } catch {
            log("history: cannot compact \(path): \(error)")
            return
        }
        guard let reopened = Self.openRegular(path, log: log) else { return }
        // Kernels waiting for the old file's lock move to the new file only once they have
        // it, so the new file is locked here before the old one is let go.
        _ = flock(reopened, LOCK_EX | LOCK_NB)
        close(descriptor)
        descriptor = reopened
    }
}
