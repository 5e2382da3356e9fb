import Foundation

/// Opens a file for reading only when it is a regular file, without ever blocking: a named
/// pipe, a device or a socket is refused with a reason instead of waiting for a writer that may
/// never come (an `open` of a FIFO blocks until one does, and no interrupt can end it).
///
/// ```swift
/// switch RegularFile.openForReading("model.safetensors") {
/// case .success(let file): defer { close(file.descriptor) }; print(file.size)
/// case .failure(let problem): print(problem.reason)  // "it is a named pipe (FIFO), …"
/// }
/// ```
public enum RegularFile {
    /// An open regular file: its descriptor (the caller closes it) and its size in bytes.
    public struct Opened: Sendable {
        /// The file descriptor, opened read-only and close-on-exec.
        public let descriptor: Int32
        /// The size of the file when it was opened.
        public let size: Int
    }

    /// Why a file could not be opened for reading, in words for an error message.
    public struct Problem: Error, Sendable {
        /// What went wrong, e.g. "no such file or directory".
        public let reason: String
    }

    /// Opens `path` read-only with `O_NONBLOCK` (so opening a FIFO returns at once), checks with
    /// `fstat` that it is a regular file, then makes reads blocking again.
    public static func openForReading(_ path: String) -> Result<Opened, Problem> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .failure(Problem(reason: systemErrorText())) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = systemErrorText()
            close(descriptor)
            return .failure(Problem(reason: reason))
        }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else {
            close(descriptor)
            return .failure(Problem(reason: notRegularReason(kind)))
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return .success(Opened(descriptor: descriptor, size: Int(status.st_size)))
    }

    /// The text of the current `errno`, lower-cased to sit inside a sentence.
    public static func systemErrorText() -> String {
        String(cString: strerror(errno)).lowercased()
    }

    private static func notRegularReason(_ kind: mode_t) -> String {
        let what: String
        switch kind {
        case S_IFIFO: what = "a named pipe (FIFO)"
        case S_IFDIR: what = "a directory"
        case S_IFCHR: what = "a character device"
        case S_IFBLK: what = "a block device"
        case S_IFSOCK: what = "a socket"
        default: what = "a special file"
        }
        return "it is \(what); only regular files can be read (copy the data to a file first)"
    }
}
