/// Why a file could not be written: the path as given and a reason in plain words.
///
/// ```swift
/// do { try AtomicFile.write(bytes, to: "/proc/self/status") } catch {
///     print(error)  // cannot write /proc/self/status: its file system (…) allows no new files
/// }
/// ```
public struct FileWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path the caller asked to write.
    public var path: String
    /// What went wrong, in lower case ("no such directory: /tmp/missing").
    public var reason: String

    /// Creates an error.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// "cannot write PATH: REASON".
    public var description: String { "cannot write \(path): \(reason)" }
}
