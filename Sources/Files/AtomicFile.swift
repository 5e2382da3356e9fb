import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A file being written atomically: bytes go to a temporary file next to the target, and
/// `commit()` syncs it, renames it over the target and syncs the directory. Until then the
/// target is untouched; a file that is never committed is removed.
///
/// Writing to a symbolic link writes its target (the link stays a link). A target that exists
/// and is not a regular file (a directory, a device, a pipe) is refused rather than replaced.
///
/// ```swift
/// try AtomicFile.write(Array("hello\n".utf8), to: "notes.txt")
///
/// let file = try AtomicFile(path: "weights.safetensors")
/// try file.write(header)
/// try file.write(data)
/// try file.commit()
/// ```
public final class AtomicFile {
    /// The path as the caller gave it (used in errors).
    public let path: String
    /// The file that is replaced: `path` with symbolic links followed.
    public let target: String
    private let temporary: String
    private let directory: String
    private var descriptor: Int32
    private var isFinished = false

    /// How many `fsync` calls succeeded in this process (for tests that check a write is
    /// durable: each commit syncs the file and its directory).
    static let syncCount = Atomic<Int>(0)

    /// Opens a new temporary file next to `path`'s target, with permissions `mode` (applied
    /// exactly, whatever the umask).
    ///
    /// - Throws: `FileWriteError` when the directory is missing or cannot hold a new file, or
    ///   the target is not a regular file.
    public init(path: String, mode: mode_t = 0o644) throws(FileWriteError) {
        self.path = path
        target = Self.followingLinks(path)
        let url = URL(fileURLWithPath: target)
        directory = url.deletingLastPathComponent().path
        try Self.checkDirectory(directory, path: path)
        try Self.checkTarget(target, path: path)
        var generator = SystemRandomNumberGenerator()
        let suffix = String(generator.next() as UInt64, radix: 36)
        temporary = "\(directory)/.\(url.lastPathComponent).\(getpid()).\(suffix).tmp"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == EROFS {
                throw FileWriteError(
                    path: path,
                    reason: "the file system of \(directory) allows no new files there"
                        + (code == EROFS ? " (it is read-only)" : " (such as /proc or /sys)"))
            }
            throw FileWriteError(path: path, reason: Self.text(code))
        }
        _ = fchmod(descriptor, mode)
    }

    deinit {
        discard()
    }

    /// Appends `bytes` to the file.
    ///
    /// - Throws: `FileWriteError` with the system's reason (a full disk, a quota).
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileWriteError) {
        guard !isFinished else {
            throw FileWriteError(path: path, reason: "the file was already committed")
        }
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let count = Glibc.write(descriptor, base + done, bytes.count - done)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileWriteError(path: path, reason: Self.text(errno))
            }
            done += count
        }
    }

    /// Appends the bytes of an array.
    public func write(_ bytes: [UInt8]) throws(FileWriteError) {
        var failure: FileWriteError?
        bytes.withUnsafeBytes { buffer in
            do throws(FileWriteError) {
                try write(buffer)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Makes the new contents the file's: syncs the file, renames it over the target and
    /// syncs the directory. On failure the target is left as it was.
    public func commit() throws(FileWriteError) {
        guard !isFinished else { return }
        guard fsync(descriptor) == 0 else {
            let failure = FileWriteError(path: path, reason: "fsync: \(Self.text(errno))")
            discard()
            throw failure
        }
        Self.syncCount.add(1, ordering: .relaxed)
        isFinished = true
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else {
            let failure = FileWriteError(path: path, reason: "close: \(Self.text(errno))")
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, target) == 0 else {
            let failure = FileWriteError(path: path, reason: Self.text(errno))
            unlink(temporary)
            throw failure
        }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            if fsync(directoryDescriptor) == 0 { Self.syncCount.add(1, ordering: .relaxed) }
            close(directoryDescriptor)
        }
    }

    /// Abandons the write: closes and removes the temporary file (the target stays as it was).
    public func discard() {
        guard !isFinished else { return }
        isFinished = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporary)
    }

    /// Writes `bytes` to `path` atomically with permissions `mode`.
    ///
    /// - Throws: `FileWriteError` with the reason.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644)
        throws(FileWriteError)
    {
        let file = try AtomicFile(path: path, mode: mode)
        try file.write(bytes)
        try file.commit()
    }

    /// Creates the directory `path` and its missing parents, with permissions `mode` for the
    /// ones it creates.
    ///
    /// - Throws: `FileWriteError` with the reason.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(FileWriteError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: Int(mode)])
        } catch {
            throw FileWriteError(
                path: path, reason: "cannot create directory: \(error.localizedDescription)")
        }
    }

    // MARK: - Checks

    /// `path` with symbolic links followed to the file they name (which need not exist yet).
    static func followingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var status = stat()
            guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else {
                return current
            }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count > 0 else { return current }
            let link = String(
                decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current =
                link.hasPrefix("/")
                ? link
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(
                    link
                ).path
        }
        return current
    }

    private static func checkDirectory(_ directory: String, path: String) throws(FileWriteError) {
        var status = stat()
        guard stat(directory, &status) == 0 else {
            let code = errno
            throw FileWriteError(
                path: path,
                reason: code == ENOENT
                    ? "no such directory: \(directory)" : "\(directory): \(text(code))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw FileWriteError(path: path, reason: "\(directory) is not a directory")
        }
    }

    private static func checkTarget(_ target: String, path: String) throws(FileWriteError) {
        var status = stat()
        guard stat(target, &status) == 0 else { return }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw FileWriteError(path: path, reason: "it is a directory")
        default:
            throw FileWriteError(
                path: path, reason: "it is not a regular file (a device, pipe or socket)")
        }
    }

    /// The system's text for `code`, in lower case ("permission denied").
    private static func text(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
