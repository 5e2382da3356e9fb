import CZeroMQ
import Synchronization

/// One libzmq context: the owner of a process's (or a test's) sockets and I/O threads.
///
/// `shutdown()` makes every blocking call on its sockets return `ETERM`, so threads blocked in
/// `receive` wake up and close their sockets; `terminate()` (or `deinit`) then waits until
/// what the closed sockets still had to send is sent (or their linger time is over).
package final class ZMQContext: @unchecked Sendable {
    // libzmq documents contexts as thread safe; the handle is never reassigned.
    let handle: UnsafeMutableRawPointer
    private let shutDown = Atomic<Bool>(false)
    private let terminated = Atomic<Bool>(false)

    /// Creates a context with one I/O thread.
    package init() throws(JupyterError) {
        guard let handle = zmq_ctx_new() else {
            throw ZMQContext.failure("zmq_ctx_new", target: "context")
        }
        self.handle = handle
    }

    /// Makes blocking calls on this context's sockets fail with `ETERM`.
    package func shutdown() {
        shutDown.store(true, ordering: .sequentiallyConsistent)
        zmq_ctx_shutdown(handle)
    }

    /// Whether `shutdown()` was called: a socket error after it is the end, any other is not.
    var isShutDown: Bool { shutDown.load(ordering: .sequentiallyConsistent) }

    /// Terminates the context once every socket is closed: returns when their pending
    /// messages are handed to the network or their linger time is over. A process that exits
    /// right after its last reply must call this first, or the reply can be lost while the I/O
    /// thread waits for a core. Later calls do nothing.
    package func terminate() {
        guard !terminated.exchange(true, ordering: .sequentiallyConsistent) else { return }
        // Retry on EINTR: termination waits for every socket to close.
        while zmq_ctx_term(handle) != 0, zmq_errno() == EINTR {}
    }

    deinit {
        terminate()
    }

    /// The error for a failed libzmq call, with libzmq's explanation of `zmq_errno()`.
    static func failure(_ operation: String, target: String) -> JupyterError {
        let code = zmq_errno()
        let reason = zmq_strerror(code).map { String(cString: $0) } ?? "errno \(code)"
        return .socket(operation: operation, target: target, reason: reason)
    }
}
