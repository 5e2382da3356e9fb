import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension KernelServer {
    /// How a kernel server listens and behaves; everything but the connection has a default.
    ///
    /// ```swift
    /// var configuration = KernelServer.Configuration(connection: try ConnectionInfo(contentsOf: path))
    /// configuration.historyPath = nil  // keep history in memory only
    /// ```
    public struct Configuration: Sendable {
        /// Where to listen and the signing key.
        public var connection: ConnectionInfo
        /// Whether a connection without a key may listen on an address other than loopback
        /// (refused by default: anyone reaching the ports could run code).
        public var allowsUnsignedRemote: Bool
        /// The history file (JSON lines); nil keeps history in memory for this process only.
        public var historyPath: String?
        /// Incoming messages larger than this are answered with an error, not parsed.
        public var maximumMessageBytes: Int
        /// The longest time printed text waits before it is sent.
        public var streamFlushInterval: Duration
        /// Printed text is sent at once when this many bytes wait.
        public var streamBufferLimit: Int
        /// How long a shutdown waits for a running cell to stop before `onStuckShutdown` runs.
        public var shutdownGrace: Duration
        /// Called when a cell ignores the interrupt that a shutdown sends; a command-line kernel
        /// exits the process here. Nil waits for the cell.
        public var onStuckShutdown: (@Sendable () -> Void)?
        /// Stack size of the thread that runs cells (deep user recursion needs room).
        public var executionStackSize: Int
        /// Where log lines go (malformed messages, socket errors); standard error by default.
        public var log: @Sendable (String) -> Void

        /// Creates a configuration with the defaults.
        ///
        /// - Parameter connection: where to listen and the signing key.
        public init(connection: ConnectionInfo) {
            self.connection = connection
            allowsUnsignedRemote = false
            historyPath = Configuration.defaultHistoryPath()
            maximumMessageBytes = 256 << 20
            streamFlushInterval = .milliseconds(30)
            streamBufferLimit = 64 << 10
            shutdownGrace = .seconds(2)
            onStuckShutdown = nil
            executionStackSize = 256 << 20
            log = Configuration.logToStandardError
        }

        /// `$TRAINBOOK_HISTORY`, else `$XDG_DATA_HOME/trainbook/history.jsonl`, else
        /// `~/.local/share/trainbook/history.jsonl`.
        public static func defaultHistoryPath() -> String {
            let environment = ProcessInfo.processInfo.environment
            if let path = environment["TRAINBOOK_HISTORY"], !path.isEmpty { return path }
            let dataHome =
                environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? NSHomeDirectory() + "/.local/share"
            return dataHome + "/trainbook/history.jsonl"
        }

        /// Writes `line` to standard error, prefixed with "[trainbook] ".
        public static let logToStandardError: @Sendable (String) -> Void = { line in
            var text = "[trainbook] \(line)\n"
            text.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
    }
}
