import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes files so that readers see either the old or the new contents, never a partial file:
/// a temporary file in the same directory, flushed, then renamed over the target.
enum AtomicFile {
    /// Writes `bytes` to `path` atomically with permissions `mode`.
    ///
    /// - Throws: `JupyterError.file` with the system's reason.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(JupyterError)
    {
        let temporary = "\(path).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure(path) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.write(
                    descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let error = failure(path)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            written += count
        }
        _ = fchmod(descriptor, mode)
        _ = fsync(descriptor)
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = failure(path)
            unlink(temporary)
            throw error
        }
    }

    /// Creates `path` and its missing parents.
    static func makeDirectory(_ path: String) throws(JupyterError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw JupyterError.file(
                path: path, reason: "cannot create directory: \(error.localizedDescription)")
        }
    }

    private static func failure(_ path: String) -> JupyterError {
        .file(path: path, reason: String(cString: strerror(errno)))
    }
}
