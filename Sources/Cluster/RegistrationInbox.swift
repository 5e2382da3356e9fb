import CZeroMQ
import Jupyter

/// The kernel's end of registration: a PULL socket the ranks of one job push their
/// `RankRegistration` to.
final class RegistrationInbox {
    private let context: ZMQContext
    private let socket: ZMQSocket
    /// The endpoint ranks connect to, `tcp://HOST:PORT`.
    let endpoint: String

    /// Binds a free port on `bindAddress` and names it `advertisedHost` for the ranks.
    init(bindAddress: String, advertisedHost: String) throws(ClusterError) {
        do throws(JupyterError) {
            context = try ZMQContext()
            socket = try ZMQSocket(context, type: .pull, role: "cluster registration")
            try socket.setOption(ZMQ_LINGER, Int32(0))
            let bound = try socket.bind("tcp://\(bindAddress):0")
            let port = bound.split(separator: ":").last.map(String.init) ?? ""
            endpoint = "tcp://\(advertisedHost):\(port)"
        } catch {
            throw .transport("cannot open the registration socket: \(error.description)")
        }
    }

    deinit {
        socket.close()
        context.terminate()
    }

    /// The next registration, or nil when none arrives within `milliseconds` (a message that is
    /// no registration is dropped: anyone may reach the port).
    func next(waitingMilliseconds milliseconds: Int) throws(ClusterError) -> RankRegistration? {
        do throws(JupyterError) {
            var poller = ZMQPoller([.socket(socket)])
            guard try poller.poll(timeoutMilliseconds: milliseconds)[0],
                let frames = try socket.receive(wait: false), let frame = frames.first
            else { return nil }
            return try? RankRegistration(bytes: frame)
        } catch {
            throw .transport("registration socket: \(error.description)")
        }
    }
}
