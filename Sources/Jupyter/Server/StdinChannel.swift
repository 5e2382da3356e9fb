import KernelInterface
import Synchronization

/// The kernel's side of the stdin channel: asks the front end that sent an execute request for
/// a line of input and waits for it, giving up when the cell is interrupted.
///
/// The socket is used only by the execution thread (which runs the cell that asks);
/// `interrupt()` may come from any thread.
final class StdinChannel: @unchecked Sendable {
    // Unchecked: the socket is used by the execution thread only; the flag is atomic.
    private let socket: ZMQSocket
    private let codec: WireCodec
    private let session: MessageSession
    private let log: @Sendable (String) -> Void
    private let interrupted = Atomic<Bool>(false)

    init(
        socket: ZMQSocket, codec: WireCodec, session: MessageSession,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.socket = socket
        self.codec = codec
        self.session = session
        self.log = log
    }

    /// Makes a pending or the next `readLine` of this cell throw `InputError.interrupted`.
    func interrupt() {
        interrupted.store(true, ordering: .sequentiallyConsistent)
    }

    /// Forgets an interrupt once the cell is over.
    func clearInterrupt() {
        interrupted.store(false, ordering: .sequentiallyConsistent)
    }

    func close() {
        socket.close()
    }

    /// Sends `input_request` to the sender of `request` and returns the value of its
    /// `input_reply`.
    ///
    /// - Throws: `InputError.interrupted` when the cell is interrupted while waiting.
    func readLine(prompt: String, password: Bool, for request: Request) throws(InputError) -> String
    {
        // Replies left over from an earlier, interrupted request are stale.
        while (try? socket.receive(wait: false)) ?? nil != nil {}
        let message = session.message(
            .inputRequest, parent: request.header,
            content: InputRequest(prompt: prompt, password: password).json)
        do {
            try socket.send(codec.encode(message, identities: request.identities))
        } catch {
            log("stdin: \(error.description)")
            throw InputError.notAllowed
        }
        var poller = ZMQPoller([.socket(socket)])
        while true {
            if interrupted.load(ordering: .sequentiallyConsistent) { throw InputError.interrupted }
            guard let ready = try? poller.poll(timeoutMilliseconds: 50) else {
                throw InputError.interrupted
            }
            guard ready[0], let frames = (try? socket.receive(wait: false)) ?? nil else { continue }
            do {
                let received = try codec.decode(frames).message
                guard received.type == .inputReply else {
                    log("stdin: ignoring \(received.header.messageType)")
                    continue
                }
                return try received.decode(InputReply.self).value
            } catch let failure as WireDecodingFailure {
                log("stdin: \(failure.error.description)")
            } catch {
                log("stdin: \(error)")
            }
        }
    }
}

/// Where a cell's `readInput` goes: the stdin channel, for the request being executed, after
/// the output printed so far (the prompt usually follows it) has been sent.
struct InputSource: Sendable {
    let stdin: StdinChannel
    let request: Request
    let publisher: IOPubPublisher

    func readLine(prompt: String, password: Bool) throws(InputError) -> String {
        publisher.flush()
        return try stdin.readLine(prompt: prompt, password: password, for: request)
    }
}
