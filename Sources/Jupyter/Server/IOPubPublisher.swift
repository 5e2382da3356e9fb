import CZeroMQ
import Dispatch
import Foundation
import KernelInterface
import Synchronization

/// The one owner of the IOPub socket: every IOPub message of the kernel, from any thread, goes
/// through this queue and is sent by one thread (ZeroMQ sockets are not thread safe).
///
/// Stream text is coalesced: consecutive writes to the same stream for the same request are
/// joined and sent at most every `flushInterval`, or as soon as `bufferLimit` bytes wait, and
/// always before any other message (so output stays in order and arrives before `idle`). The
/// socket is an XPUB socket, so each new subscriber receives an `iopub_welcome` (JEP 65).
final class IOPubPublisher: Sendable {
    private enum Entry {
        case message(Message)
        case stream(StandardStream, String, parent: MessageHeader?)
        case barrier(DispatchSemaphore)
        case stop
    }

    private struct PendingStream {
        var name: StandardStream
        var text: String
        var parent: MessageHeader?
    }

    private let socket: ZMQSocket
    private let codec: WireCodec
    private let session: MessageSession
    private let wakeup: WakeupPipe
    private let queue = Mutex<[Entry]>([])
    private let finished = DispatchSemaphore(value: 0)
    private let log: @Sendable (String) -> Void
    /// The longest time stream text waits before it is sent.
    let flushInterval: Duration
    /// Stream text is sent at once when this many bytes wait.
    let bufferLimit: Int

    /// Creates a publisher over a bound XPUB `socket`; `start()` launches its thread.
    init(
        socket: ZMQSocket, codec: WireCodec, session: MessageSession,
        flushInterval: Duration = .milliseconds(30),
        bufferLimit: Int = 64 << 10, log: @escaping @Sendable (String) -> Void
    ) throws(JupyterError) {
        self.socket = socket
        self.codec = codec
        self.session = session
        self.wakeup = try WakeupPipe()
        self.flushInterval = flushInterval
        self.bufferLimit = bufferLimit
        self.log = log
    }

    /// Starts the sending thread.
    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "iopub"
        thread.start()
    }

    /// Queues `message` for sending, after any stream text queued before it.
    func publish(_ message: Message) {
        enqueue(.message(message))
    }

    /// Appends `text` to `stream` for the request `parent`; joined with the previous write when
    /// that was to the same stream for the same request.
    func write(_ text: String, to stream: StandardStream, parent: MessageHeader?) {
        guard !text.isEmpty else { return }
        let wasEmpty = queue.withLock { entries in
            if case .stream(let name, var pending, let pendingParent) = entries.last,
                name == stream,
                pendingParent?.messageId == parent?.messageId
            {
                entries[entries.count - 1] = .stop  // release the string's buffer before appending
                pending.append(text)
                entries[entries.count - 1] = .stream(name, pending, parent: pendingParent)
                return false
            }
            entries.append(.stream(stream, text, parent: parent))
            return entries.count == 1
        }
        if wasEmpty { wakeup.signal() }
    }

    /// Blocks until everything queued before this call has been handed to ZeroMQ.
    func flush() {
        let done = DispatchSemaphore(value: 0)
        enqueue(.barrier(done))
        done.wait()
    }

    /// Sends what is queued, stops the thread and closes the socket; waits for all of it.
    func stop() {
        enqueue(.stop)
        finished.wait()
    }

    private func enqueue(_ entry: Entry) {
        let wasEmpty = queue.withLock { entries in
            entries.append(entry)
            return entries.count == 1
        }
        if wasEmpty { wakeup.signal() }
    }

    // MARK: - The sending thread

    private func run() {
        var poller = ZMQPoller([.socket(socket), .pipe(wakeup)])
        var pending: PendingStream?
        var deadline: ContinuousClock.Instant?
        defer { socket.close() }
        while true {
            let timeout = deadline.map { milliseconds(until: $0) } ?? -1
            let ready: [Bool]
            do {
                ready = try poller.poll(timeoutMilliseconds: timeout)
            } catch {
                log("iopub: \(error); publisher stopped")
                return
            }
            if ready[0] { welcomeNewSubscribers() }
            if ready[1] { wakeup.drain() }
            let entries = queue.withLock { entries in
                defer { entries.removeAll(keepingCapacity: true) }
                return entries
            }
            for entry in entries {
                switch entry {
                case .stream(let name, let text, let parent):
                    if let current = pending,
                        current.name != name || current.parent?.messageId != parent?.messageId
                    {
                        send(current)
                        pending = nil
                    }
                    if pending == nil {
                        pending = PendingStream(name: name, text: text, parent: parent)
                        deadline = deadline ?? .now + flushInterval
                    } else {
                        pending?.text.append(text)
                    }
                    if let current = pending, current.text.utf8.count >= bufferLimit {
                        send(current)
                        pending = nil
                    }
                case .message(let message):
                    if let current = pending { send(current) }
                    pending = nil
                    send(message)
                case .barrier(let done):
                    if let current = pending { send(current) }
                    pending = nil
                    done.signal()
                case .stop:
                    if let current = pending { send(current) }
                    return
                }
            }
            if pending == nil {
                deadline = nil
            } else if let due = deadline, due <= .now, let current = pending {
                send(current)
                pending = nil
                deadline = nil
            }
        }
    }

    private func milliseconds(until instant: ContinuousClock.Instant) -> Int {
        let remaining = ContinuousClock.now.duration(to: instant)
        let (seconds, attoseconds) = remaining.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000) + 1
    }

    private func send(_ stream: PendingStream) {
        send(
            session.message(
                .stream, parent: stream.parent,
                content: StreamContent(name: stream.name, text: stream.text).json))
    }

    private func send(_ message: Message) {
        do {
            try socket.send(
                codec.encode(message, identities: [Array(message.header.messageType.utf8)]))
        } catch {
            log("iopub: could not send \(message.header.messageType): \(error)")
        }
    }

    /// Reads subscription events (a frame starting with 1, then the topic) and welcomes each.
    private func welcomeNewSubscribers() {
        while true {
            let frames: [[UInt8]]?
            do {
                frames = try socket.receive(wait: false)
            } catch {
                log("iopub: \(error)")
                return
            }
            guard let frames else { return }
            for frame in frames where frame.first == 1 {
                let topic = Array(frame.dropFirst())
                let welcome = session.message(
                    .iopubWelcome, parent: nil,
                    content: IOPubWelcome(subscription: String(decoding: topic, as: UTF8.self)).json
                )
                do {
                    try socket.send(codec.encode(welcome, identities: topic.isEmpty ? [] : [topic]))
                } catch {
                    log("iopub: could not send iopub_welcome: \(error)")
                }
            }
        }
    }
}
