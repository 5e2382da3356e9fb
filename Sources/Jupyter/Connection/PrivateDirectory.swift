import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Directories for files only their owner may read (connection files with their keys, input
/// history): each missing directory on the way is created with mode 0700, whatever the umask,
/// as Jupyter's own tools create the runtime directory. Existing directories are left as they
/// are.
enum PrivateDirectory {
    /// Creates `path` and its missing parents, each with mode 0700.
    ///
    /// - Throws: `JupyterError.file` naming the directory that could not be created.
    static func make(_ path: String) throws(JupyterError) {
        guard !path.isEmpty else { return }
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") where component != "." {
            current += "/" + component
            if mkdir(current, 0o700) == 0 {
                // The umask may have removed bits; never does it add any, so this only restores.
                _ = chmod(current, 0o700)
                continue
            }
            let code = errno
            guard code == EEXIST else {
                throw JupyterError.file(
                    path: current,
                    reason: "cannot create directory: \(String(cString: strerror(code)))")
            }
        }
    }
}
