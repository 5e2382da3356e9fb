import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A kernel process started by `KernelLauncher`.
public final class RunningKernel: Sendable {
    /// The process id.
    public let pid: pid_t
    /// Where it listens and its key.
    public let connection: ConnectionInfo
    /// The connection file written for it (removed by `shutdown`).
    public let connectionFile: String
    /// The kernelspec it was started from.
    public let spec: KernelSpec
    private let reaped = Mutex<Int32?>(nil)

    init(pid: pid_t, connection: ConnectionInfo, connectionFile: String, spec: KernelSpec) {
        self.pid = pid
        self.connection = connection
        self.connectionFile = connectionFile
        self.spec = spec
    }

    /// The exit status once the process has ended (128 + n for a signal n), else nil.
    public func exitStatus() -> Int32? {
        reaped.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
            let signal = raw & 0x7F
            status = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
            return status
        }
    }

    /// Interrupts the running cell the way the kernelspec asks: SIGINT, or `interrupt_request`
    /// through `client`.
    public func interrupt(client: KernelClient?) {
        switch spec.interruptMode {
        case .signal: kill(pid, SIGINT)
        case .message: try? client?.interrupt()
        }
    }

    /// Shuts the kernel down: `shutdown_request` on control, then SIGTERM and finally SIGKILL
    /// if it has not exited within `grace`; removes the connection file.
    public func shutdown(client: KernelClient?, grace: Duration = .seconds(3)) {
        defer { unlink(connectionFile) }
        if exitStatus() != nil { return }
        if let client {
            _ = try? client.request(
                .shutdownRequest, content: ShutdownContent(restart: false).json, on: .control,
                timeout: grace)
        }
        if waitForExit(within: grace) { return }
        kill(pid, SIGTERM)
        if waitForExit(within: .seconds(1)) { return }
        kill(pid, SIGKILL)
        _ = waitForExit(within: .seconds(5))
    }

    private func waitForExit(within duration: Duration) -> Bool {
        let deadline = ContinuousClock.now + duration
        while exitStatus() == nil {
            if ContinuousClock.now >= deadline { return false }
            usleep(10_000)
        }
        return true
    }
}
