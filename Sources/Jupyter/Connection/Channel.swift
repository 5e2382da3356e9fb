/// The five channels of a kernel, each one ZeroMQ socket.
public enum Channel: String, Sendable, CaseIterable {
    /// Requests and replies (ROUTER on the kernel side).
    case shell
    /// Broadcast of outputs and status (XPUB/PUB on the kernel side).
    case iopub
    /// Input requests from the kernel to a front end (ROUTER on the kernel side).
    case stdin
    /// Like shell, but served while a cell runs (ROUTER on the kernel side).
    case control
    /// Liveness echo (REP on the kernel side).
    case heartbeat = "hb"
}
