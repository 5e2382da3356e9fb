import Files

extension JupyterError {
    /// Runs a file write of the shared `AtomicFile` (module Files), its failure as
    /// `JupyterError.file`.
    ///
    /// ```swift
    /// try JupyterError.writing { () throws(FileWriteError) in
    ///     try AtomicFile.write(bytes, to: path, mode: 0o600)
    /// }
    /// ```
    static func writing<T>(_ body: () throws(FileWriteError) -> T) throws(JupyterError) -> T {
        do {
            return try body()
        } catch {
            throw .file(path: error.path, reason: error.reason)
        }
    }
}
