import CZeroMQ
import Dispatch
import Foundation

/// The heartbeat channel: a ROUTER socket on its own thread that echoes every message to its
/// sender, so front ends can tell a busy kernel from a dead one.
///
/// A ROUTER (as ipykernel uses) rather than a REP socket: no request/reply state to get stuck
/// in, whatever a peer sends. Nothing a peer does ends the echo: a failed receive or send is
/// logged (at most once a second) and the loop goes on; only `ZMQContext.shutdown` stops it.
/// Messages above `maximumMessageBytes` make libzmq drop their sender.
final class Heartbeat: Sendable {
    private let socket: ZMQSocket
    private let context: ZMQContext
    private let finished = DispatchSemaphore(value: 0)
    private let log: @Sendable (String) -> Void
    /// The largest ping accepted (front ends send a few bytes).
    static let maximumMessageBytes: Int64 = 64 << 10

    /// Creates the echo over a bound ROUTER `socket` of `context`.
    ///
    /// - Throws: `JupyterError.socket` when the socket's message size limit cannot be set.
    init(socket: ZMQSocket, context: ZMQContext, log: @escaping @Sendable (String) -> Void)
        throws(JupyterError)
    {
        try socket.setOption(ZMQ_MAXMSGSIZE, Heartbeat.maximumMessageBytes)
        self.socket = socket
        self.context = context
        self.log = log
    }

    /// Starts echoing on a new thread, until the context is shut down.
    func start() {
        let thread = Thread { [self] in
            defer {
                socket.close()
                finished.signal()
            }
            echo()
        }
        thread.name = "heartbeat"
        thread.start()
    }

    private func echo() {
        var lastLogged: ContinuousClock.Instant?
        while true {
            do {
                // A ROUTER message starts with the sender's identity: sent back as it came,
                // it goes to that sender.
                guard let frames = try socket.receive() else { continue }
                try socket.send(frames)
            } catch {
                if context.isShutDown { return }
                let now = ContinuousClock.now
                if lastLogged.map({ now - $0 >= .seconds(1) }) ?? true {
                    log("heartbeat: \(error); still echoing")
                    lastLogged = now
                }
                // A failure that repeats at once must not spin a core.
                Thread.sleep(forTimeInterval: 0.001)
            }
        }
    }

    /// Waits until the echo thread has closed its socket (after `ZMQContext.shutdown`).
    func wait() {
        finished.wait()
    }
}
