import CZeroMQ
import Dispatch
import Foundation
import KernelInterface
import Synchronization

/// The one owner of the IOPub socket: every IOPub message of the kernel, from any thread, is
/// encoded and handed to ZeroMQ by the publishing thread itself, under one lock (ZeroMQ sockets
/// are not thread safe, but may change threads behind a memory barrier, which the lock is).
///
/// Sending in the caller saves a thread hop per message: a `1+1` round trip publishes four
/// messages, and a hand-over to a sending thread cost a pipe write, a wake-up and a poll each.
///
/// Messages may be *held*: encoded at once, in order, but handed to ZeroMQ only with the next
/// message that is not held (or by `flush()`), so that messages produced within microseconds
/// of each other (`busy` and `execute_input`; a result, the shell reply and `idle`) wake
/// ZeroMQ's I/O thread once. The holder flushes before anything slow (a cell running). Held
/// messages always go out before anything published after them.
///
/// Stream text is coalesced: consecutive writes to the same stream for the same request are
/// joined and sent at most every `flushInterval`, or as soon as `bufferLimit` bytes wait, and
/// always before any other message (so output stays in order and arrives before `idle`).
///
/// A small thread sends text whose `flushInterval` has passed and welcomes new subscribers:
/// the socket is an XPUB socket, so each new subscriber receives an `iopub_welcome` (JEP 65).
/// It watches the socket's `ZMQ_FD` without touching the socket; whoever holds the lock reads
/// waiting subscriptions after every send, because a send may consume the descriptor's signal.
final class IOPubPublisher: Sendable {
    private struct PendingStream {
        var name: StandardStream
        var text: String
        var parent: MessageHeader?
    }

    /// What the lock guards: the socket's use, and what is not yet sent.
    private struct State {
        /// Encoded messages not yet handed to ZeroMQ, in order; all of them precede `pending`.
        var held: [[[UInt8]]] = []
        var pending: PendingStream?
        var deadline: ContinuousClock.Instant?
        var isStopped = false
    }

    private let socket: ZMQSocket
    private let codec: WireCodec
    private let session: MessageSession
    private let wakeup: WakeupPipe
    /// The socket's `ZMQ_FD`, which the thread polls.
    private let socketDescriptor: Int32
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)
    private let log: @Sendable (String) -> Void
    /// The longest time stream text waits before it is sent.
    let flushInterval: Duration
    /// Stream text is sent at once when this many bytes wait.
    let bufferLimit: Int

    /// Creates a publisher over a bound XPUB `socket`; `start()` launches its thread.
    ///
    /// - Throws: `JupyterError.socket` when the socket's descriptor cannot be read, or the
    ///   wake-up pipe cannot be made.
    init(
        socket: ZMQSocket, codec: WireCodec, session: MessageSession,
        flushInterval: Duration = .milliseconds(30),
        bufferLimit: Int = 64 << 10, log: @escaping @Sendable (String) -> Void
    ) throws(JupyterError) {
        self.socket = socket
        self.codec = codec
        self.session = session
        self.wakeup = try WakeupPipe()
        self.socketDescriptor = try socket.descriptor()
        self.flushInterval = flushInterval
        self.bufferLimit = bufferLimit
        self.log = log
    }

    /// Starts the thread that flushes text on time and welcomes subscribers.
    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "iopub"
        thread.start()
    }

    /// Sends `message` now, after any message held and stream text written before it.
    func publish(_ message: Message) {
        publish(message, after: nil)
    }

    /// Sends what is held and the stream text written so far, then calls `action` (which sends
    /// the request's reply on its own socket), then `message`, as one burst under the lock: the
    /// reply follows the request's outputs and precedes its `idle`, as front ends expect.
    func publish(_ message: Message, after action: (() -> Void)?) {
        let frames = encode(message)
        state.withLock { state in
            guard !state.isStopped else {
                action?()
                return
            }
            sendPending(&state)
            action?()
            send(frames, type: message.header.messageType)
            welcomeNewSubscribers()
        }
    }

    /// Encodes `message` now and keeps it, in order, to be sent with the next message that is
    /// not held, or by the next `flush()`: the caller flushes before it does anything slow.
    func hold(_ message: Message) {
        let frames = encode(message)
        state.withLock { state in
            guard !state.isStopped else { return }
            if state.pending != nil { holdPending(&state) }
            state.held.append(frames)
        }
    }

    /// Appends `text` to `stream` for the request `parent`; joined with the previous write when
    /// that was to the same stream for the same request.
    func write(_ text: String, to stream: StandardStream, parent: MessageHeader?) {
        guard !text.isEmpty else { return }
        let startedTimer = state.withLock { state in
            guard !state.isStopped else { return false }
            if let current = state.pending,
                current.name != stream || current.parent?.messageId != parent?.messageId
            {
                sendPending(&state)
            }
            if state.pending == nil {
                state.pending = PendingStream(name: stream, text: text, parent: parent)
            } else {
                state.pending?.text.append(text)
            }
            if let current = state.pending, current.text.utf8.count >= bufferLimit {
                sendPending(&state)
                welcomeNewSubscribers()
            }
            guard state.pending != nil, state.deadline == nil else { return false }
            state.deadline = .now + flushInterval
            return true
        }
        if startedTimer { wakeup.signal() }
    }

    /// Sends the held messages and the stream text written so far; on return everything
    /// published before this call has been handed to ZeroMQ.
    func flush() {
        state.withLock { state in
            guard !state.isStopped, state.pending != nil || !state.held.isEmpty else { return }
            sendPending(&state)
            welcomeNewSubscribers()
        }
    }

    /// Sends the text still waiting, stops the thread and closes the socket; later messages
    /// are dropped.
    func stop() {
        let wasStopped = state.withLock { state in
            defer { state.isStopped = true }
            if !state.isStopped { sendPending(&state) }
            return state.isStopped
        }
        guard !wasStopped else { return }
        wakeup.signal()
        finished.wait()
        state.withLock { _ in socket.close() }
    }

    // MARK: - Under the lock

    /// Sends the held messages, then the stream text.
    private func sendPending(_ state: inout State) {
        sendHeld(&state)
        state.deadline = nil
        guard let current = state.pending else { return }
        state.pending = nil
        send(streamMessage(current))
    }

    /// Sends the held messages (stream text waiting after them stays).
    private func sendHeld(_ state: inout State) {
        guard !state.held.isEmpty else { return }
        for frames in state.held { send(frames, type: "held message") }
        state.held.removeAll(keepingCapacity: true)
    }

    /// Moves the stream text into the held messages, so that what is held next follows it.
    private func holdPending(_ state: inout State) {
        guard let current = state.pending else { return }
        state.pending = nil
        state.deadline = nil
        state.held.append(encode(streamMessage(current)))
    }

    private func streamMessage(_ stream: PendingStream) -> Message {
        session.message(
            .stream, parent: stream.parent,
            content: StreamContent(name: stream.name, text: stream.text).json)
    }

    private func send(_ message: Message) {
        send(encode(message), type: message.header.messageType)
    }

    private func send(_ frames: [[UInt8]], type: String) {
        do {
            try socket.send(frames)
        } catch {
            log("iopub: could not send \(type): \(error)")
        }
    }

    /// The wire frames of `message`, its type as the topic.
    private func encode(_ message: Message) -> [[UInt8]] {
        codec.encode(message, identities: [Array(message.header.messageType.utf8)])
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

    // MARK: - The timer and welcome thread

    /// Waits for the socket's descriptor (new subscribers), a wake-up (a new flush deadline,
    /// or stop) or the flush deadline, and does what is due, until stopped.
    private func run() {
        var poller = ZMQPoller([.descriptor(socketDescriptor), .pipe(wakeup)])
        var timeout = -1
        while true {
            let ready: [Bool]
            do {
                ready = try poller.poll(timeoutMilliseconds: timeout)
            } catch {
                log("iopub: \(error); publisher stopped")
                return
            }
            if ready[1] { wakeup.drain() }
            let next: Int? = state.withLock { state in
                guard !state.isStopped else { return nil }
                if let due = state.deadline, due <= .now { sendPending(&state) }
                welcomeNewSubscribers()
                return state.deadline.map { milliseconds(until: $0) } ?? -1
            }
            guard let next else { return }
            timeout = next
        }
    }

    private func milliseconds(until instant: ContinuousClock.Instant) -> Int {
        let remaining = ContinuousClock.now.duration(to: instant)
        let (seconds, attoseconds) = remaining.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000) + 1
    }
}
