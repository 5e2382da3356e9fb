import Dispatch
import Foundation

/// The heartbeat channel: a REP socket on its own thread that echoes every message, so front
/// ends can tell a busy kernel from a dead one.
final class Heartbeat: Sendable {
    private let socket: ZMQSocket
    private let finished = DispatchSemaphore(value: 0)
    private let log: @Sendable (String) -> Void

    /// Creates the echo over a bound REP `socket`.
    init(socket: ZMQSocket, log: @escaping @Sendable (String) -> Void) {
        self.socket = socket
        self.log = log
    }

    /// Starts echoing on a new thread, until the context is shut down.
    func start() {
        let thread = Thread { [self] in
            defer {
                socket.close()
                finished.signal()
            }
            while true {
                do {
                    guard let frames = try socket.receive() else { continue }
                    try socket.send(frames)
                } catch {
                    return  // the context was shut down
                }
            }
        }
        thread.name = "heartbeat"
        thread.start()
    }

    /// Waits until the echo thread has closed its socket (after `ZMQContext.shutdown`).
    func wait() {
        finished.wait()
    }
}
