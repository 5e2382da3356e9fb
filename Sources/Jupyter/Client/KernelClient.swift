import CZeroMQ
import Foundation
import KernelInterface
import Synchronization

/// The front-end side of the protocol: connects to a kernel's five channels and sends requests.
///
/// Used by `trainbook run`, `trainbook console` and the tests. One thread uses a client at a
/// time, except `interrupt()`, which may come from a signal-handling thread.
///
/// ```swift
/// let client = try KernelClient(connection: info)
/// try client.waitForReady(timeout: .seconds(10))
/// let reply = try client.execute(ExecuteRequest(code: "1 + 2")) { message in print(message.type) }
/// ```
public final class KernelClient: @unchecked Sendable {
    // Unchecked: each socket is used by the calling thread only; the control socket, which
    // `interrupt()` may use from another thread, is behind a lock.

    /// The connection the client uses.
    public let connection: ConnectionInfo
    /// The client's session, stamped on every request.
    public let session = MessageSession()
    private let context: ZMQContext
    private let shell: ZMQSocket
    private let stdin: ZMQSocket
    private let iopub: ZMQSocket
    private let control: Mutex<ZMQSocket>
    private let codec: WireCodec
    /// Reports whether the kernel process has exited (its status), checked while waiting.
    public var exitStatus: @Sendable () -> Int32? = { nil }

    /// Connects to every channel of the kernel described by `connection`.
    ///
    /// - Throws: `JupyterError.socket` when a socket cannot be created or connected.
    public init(connection: ConnectionInfo) throws(JupyterError) {
        self.connection = connection
        codec = WireCodec(signer: connection.signer, history: nil)
        context = try ZMQContext()
        let identity = Array(session.id.utf8)
        shell = try KernelClient.dealer(.shell, identity, context, connection)
        stdin = try KernelClient.dealer(.stdin, identity, context, connection)
        control = Mutex(try KernelClient.dealer(.control, identity, context, connection))
        iopub = try ZMQSocket(context, type: .sub, role: Channel.iopub.rawValue)
        try iopub.setOption(ZMQ_SUBSCRIBE, bytes: [])
        try iopub.setOption(ZMQ_LINGER, Int32(0))
        try iopub.connect(connection.endpoint(for: .iopub))
    }

    deinit {
        close()
    }

    /// A DEALER socket for `channel` with the client's identity (shared by shell and stdin, so
    /// that the kernel's input requests reach this client).
    private static func dealer(
        _ channel: Channel, _ identity: [UInt8], _ context: ZMQContext, _ connection: ConnectionInfo
    ) throws(JupyterError) -> ZMQSocket {
        let socket = try ZMQSocket(context, type: .dealer, role: channel.rawValue)
        try socket.setOption(ZMQ_IDENTITY, bytes: identity)
        try socket.setOption(ZMQ_LINGER, Int32(100))
        try socket.connect(connection.endpoint(for: channel))
        return socket
    }

    /// Closes every socket; the client cannot be used afterwards.
    public func close() {
        shell.close()
        stdin.close()
        iopub.close()
        control.withLock { $0.close() }
    }

    // MARK: - Sending

    /// Sends a request on `channel` (shell or control) and returns its header, to match the reply.
    @discardableResult
    public func send(
        _ type: MessageType, content: JSONValue = [:], on channel: Channel = .shell
    ) throws(JupyterError) -> MessageHeader {
        try send(typeNamed: type.rawValue, content: content, on: channel)
    }

    /// Sends a message of any type name (including ones the kernel does not know).
    @discardableResult
    public func send(typeNamed type: String, content: JSONValue, on channel: Channel = .shell)
        throws(JupyterError) -> MessageHeader
    {
        let message = Message(header: session.header(forTypeNamed: type), content: content)
        try sendFrames(codec.encode(message), on: channel)
        return message.header
    }

    /// Sends raw frames (tests use this to send malformed messages).
    public func sendFrames(_ frames: [[UInt8]], on channel: Channel) throws(JupyterError) {
        switch channel {
        case .shell: try shell.send(frames)
        case .stdin: try stdin.send(frames)
        case .control:
            try control.withLock { socket throws(JupyterError) in try socket.send(frames) }
        case .iopub, .heartbeat:
            throw JupyterError.usage("the client cannot send on the \(channel.rawValue) channel")
        }
    }

    /// Signs and encodes a message with this client's key, for tests that alter the frames.
    public func encode(_ message: Message) -> [[UInt8]] {
        codec.encode(message)
    }

    /// Sends `interrupt_request` on the control channel without waiting for the reply (which
    /// `receive(on: .control)` can read). Safe from any thread.
    public func interrupt() throws(JupyterError) {
        let message = Message(header: session.header(for: .interruptRequest))
        let frames = codec.encode(message)
        try control.withLock { socket throws(JupyterError) in try socket.send(frames) }
    }

    // MARK: - Receiving

    /// The next message on `channel`, or nil when none arrives within `timeout`.
    ///
    /// - Throws: `JupyterError.kernelDied` when the kernel process exits while waiting.
    public func receive(on channel: Channel, timeout: Duration) throws(JupyterError) -> Message? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let slice = min(100, ClientClock.milliseconds(until: deadline))
            let frames: [[UInt8]]?
            switch channel {
            case .shell: frames = try receiveFrames(shell, timeout: slice)
            case .stdin: frames = try receiveFrames(stdin, timeout: slice)
            case .iopub: frames = try receiveFrames(iopub, timeout: slice)
            case .control:
                frames = try control.withLock { socket throws(JupyterError) in
                    try receiveFrames(socket, timeout: slice)
                }
            case .heartbeat: throw JupyterError.usage("use ping() for the heartbeat")
            }
            if let frames {
                do {
                    return try codec.decode(frames).message
                } catch {
                    throw error.error
                }
            }
            if let status = exitStatus() { throw JupyterError.kernelDied(status: status) }
            if ContinuousClock.now >= deadline { return nil }
        }
    }

    /// Sends a request and waits for the reply to it on the same channel (other replies are
    /// skipped).
    ///
    /// - Throws: `JupyterError.timeout` when no reply arrives in time.
    public func request(
        _ type: MessageType, content: JSONValue = [:], on channel: Channel = .shell,
        timeout: Duration
    ) throws(JupyterError) -> Message {
        let header = try send(type, content: content, on: channel)
        return try reply(to: header, on: channel, timeout: timeout)
    }

    /// Waits for the reply to the request with `header`.
    ///
    /// - Throws: `JupyterError.timeout` when no reply arrives in time.
    public func reply(to header: MessageHeader, on channel: Channel = .shell, timeout: Duration)
        throws(JupyterError) -> Message
    {
        let deadline = ContinuousClock.now + timeout
        while let message = try receive(
            on: channel, timeout: ContinuousClock.now.duration(to: deadline))
        {
            if message.parentHeader?.messageId == header.messageId { return message }
        }
        throw JupyterError.timeout(
            waitingFor: "\(header.messageType) reply", seconds: ClientClock.seconds(timeout))
    }

    /// Checks the heartbeat: true when the kernel echoes within `timeout`.
    public func ping(timeout: Duration = .seconds(1)) -> Bool {
        guard let socket = try? ZMQSocket(context, type: .req, role: "heartbeat") else {
            return false
        }
        defer { socket.close() }
        try? socket.setOption(ZMQ_LINGER, Int32(0))
        guard (try? socket.connect(connection.endpoint(for: .heartbeat))) != nil,
            (try? socket.send([Array("ping".utf8)])) != nil
        else { return false }
        let frames = try? receiveFrames(
            socket, timeout: ClientClock.milliseconds(until: .now + timeout))
        return frames?.first == Array("ping".utf8)
    }

    /// Waits up to `timeout` for any of `channels` (shell, stdin, iopub) to be readable and
    /// returns the first message found, with its channel.
    package func receiveAny(of channels: [Channel], timeout: Duration) throws(JupyterError) -> (
        Channel, Message
    )? {
        let sockets = channels.compactMap { channel -> ZMQSocket? in
            switch channel {
            case .shell: return shell
            case .stdin: return stdin
            case .iopub: return iopub
            case .control, .heartbeat: return nil
            }
        }
        var poller = ZMQPoller(sockets.map { .socket($0) })
        let ready = try poller.poll(
            timeoutMilliseconds: ClientClock.milliseconds(until: .now + timeout))
        for (index, isReady) in ready.enumerated() where isReady {
            guard let frames = try sockets[index].receive(wait: false) else { continue }
            do {
                return (channels[index], try codec.decode(frames).message)
            } catch {
                throw error.error
            }
        }
        if let status = exitStatus() { throw JupyterError.kernelDied(status: status) }
        return nil
    }

    private func receiveFrames(_ socket: ZMQSocket, timeout: Int) throws(JupyterError) -> [[UInt8]]?
    {
        var poller = ZMQPoller([.socket(socket)])
        guard try poller.poll(timeoutMilliseconds: timeout)[0] else { return nil }
        return try socket.receive(wait: false)
    }
}

/// Conversions between `Duration` and the milliseconds and seconds that APIs want.
enum ClientClock {
    /// Milliseconds from now until `deadline`, at least 0, rounded up.
    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let (seconds, attoseconds) = ContinuousClock.now.duration(to: deadline).components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let whole = seconds > Int64(Int32.max / 1000) ? Int(Int32.max) : Int(seconds) * 1000
        return whole + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
