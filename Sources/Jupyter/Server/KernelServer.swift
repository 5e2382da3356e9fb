import CZeroMQ
import Dispatch
import Foundation
import KernelInterface
import Synchronization

/// A complete Jupyter kernel over ZeroMQ that runs any `Interpreter`.
///
/// Threads and what each owns:
/// - the execution thread (started by `run()`): the shell and stdin sockets, the interpreter's
///   `execute`/`complete`/... calls, the execution counter and history;
/// - the control thread: the control socket (kernel_info, interrupt and shutdown are answered
///   while a cell runs);
/// - the IOPub thread (`IOPubPublisher`): the XPUB socket, fed by a queue from every thread;
/// - the heartbeat thread: the ROUTER echo socket.
///
/// ```swift
/// let server = try KernelServer(interpreter: MyInterpreter(),
///                               configuration: .init(connection: try ConnectionInfo(contentsOf: path)))
/// let restart = server.run()  // returns after a shutdown_request
/// ```
public final class KernelServer: @unchecked Sendable {
    // Unchecked: state touched by several threads is in `Mutex`/`Atomic`; the rest is owned by
    // one thread as listed above and never shared.

    /// The lifecycle of a server.
    enum Lifecycle: Equatable {
        case running
        case shuttingDown(restart: Bool)
    }

    /// The connection as bound: ports that were 0 in the configuration are filled in.
    public let connection: ConnectionInfo
    let configuration: Configuration
    let interpreter: InterpreterHandle
    let info: InterpreterInfo
    let session = MessageSession(username: "kernel")
    let codec: WireCodec
    let log: @Sendable (String) -> Void

    private let context: ZMQContext
    let shellSocket: ZMQSocket
    let controlSocket: ZMQSocket
    let stdin: StdinChannel
    let publisher: IOPubPublisher
    private let heartbeat: Heartbeat
    let shellWakeup: WakeupPipe
    let controlWakeup: WakeupPipe

    let lifecycle = Mutex(Lifecycle.running)
    /// The replies encoded by the request being served on each channel, sent with its `idle`
    /// (a channel is present while `withBusyStatus` runs on it).
    let deferredReplies = Mutex<[Channel: [[[UInt8]]]]>([:])
    let isExecuting = Atomic<Bool>(false)
    private let shellFinished = DispatchSemaphore(value: 0)
    private let controlFinished = DispatchSemaphore(value: 0)
    private let hasFinished = Atomic<Bool>(false)
    private let shellStopped = Atomic<Bool>(false)

    // Owned by the execution thread.
    var executionCount = 0
    var queuedRequests: [QueuedRequest] = []
    lazy var history = HistoryStore(path: configuration.historyPath, log: log)
    /// The cell just executed, recorded in `history` once its `idle` status is out.
    var unrecordedHistory: (line: Int, input: String, output: String?)?

    /// Creates the sockets and binds them to the configured endpoints.
    ///
    /// - Parameters:
    ///   - interpreter: the language; called from the execution thread, except `interrupt()`.
    ///   - configuration: endpoints, key and limits.
    /// - Throws: `JupyterError.socket` when an endpoint cannot be bound,
    ///   `.unsignedRemoteConnection` for a connection without a key on a non-loopback address
    ///   (unless `allowsUnsignedRemote`); a key-less loopback connection is logged as insecure.
    public init(interpreter: any Interpreter, configuration: Configuration) throws(JupyterError) {
        self.configuration = configuration
        self.interpreter = InterpreterHandle(interpreter)
        self.info = interpreter.info
        self.log = configuration.log
        let warnings = try configuration.connection.securityWarnings(
            allowUnsignedRemote: configuration.allowsUnsignedRemote)
        for warning in warnings { configuration.log(warning) }
        self.codec = WireCodec(
            signer: configuration.connection.signer, history: SignatureHistory(),
            maximumMessageBytes: configuration.maximumMessageBytes)
        context = try ZMQContext()
        var bound = configuration.connection
        shellSocket = try KernelServer.bind(.shell, .router, context, &bound)
        controlSocket = try KernelServer.bind(.control, .router, context, &bound)
        let stdinSocket = try KernelServer.bind(.stdin, .router, context, &bound)
        let iopubSocket = try KernelServer.bind(.iopub, .xpub, context, &bound)
        let heartbeatSocket = try KernelServer.bind(.heartbeat, .router, context, &bound)
        connection = bound
        shellWakeup = try WakeupPipe()
        controlWakeup = try WakeupPipe()
        publisher = try IOPubPublisher(
            socket: iopubSocket, codec: codec, session: session,
            flushInterval: configuration.streamFlushInterval,
            bufferLimit: configuration.streamBufferLimit, log: configuration.log)
        stdin = StdinChannel(
            socket: stdinSocket, codec: codec, session: session, log: configuration.log)
        heartbeat = try Heartbeat(
            socket: heartbeatSocket, context: context, log: configuration.log)
    }

    /// Creates the socket of `channel` and binds it, recording the port bound when the
    /// configured port was 0.
    private static func bind(
        _ channel: Channel, _ type: ZMQSocketType, _ context: ZMQContext,
        _ connection: inout ConnectionInfo
    ) throws(JupyterError) -> ZMQSocket {
        let socket = try ZMQSocket(context, type: type, role: channel.rawValue)
        if type == .router { try socket.setOption(ZMQ_ROUTER_HANDOVER, Int32(1)) }
        if type == .xpub { try socket.setOption(ZMQ_XPUB_VERBOSE, Int32(1)) }
        let endpoint = try socket.bind(connection.endpoint(for: channel))
        if connection.transport == .tcp,
            let port = endpoint.split(separator: ":").last.flatMap({ Int($0) })
        {
            connection.ports[channel] = port
        }
        return socket
    }

    /// Serves until a `shutdown_request` (or `shutdown()`), then stops every thread, closes the
    /// sockets, waits until what they still had to send is sent (at most their linger time,
    /// one second) and returns.
    ///
    /// - Returns: the `restart` flag of the shutdown request.
    @discardableResult
    public func run() -> Bool {
        publisher.start()
        heartbeat.start()
        publisher.publish(
            session.message(.status, parent: nil, content: StatusContent(.starting).json))
        let control = Thread { [self] in
            controlLoop()
            controlFinished.signal()
        }
        control.name = "control"
        control.start()
        let execution = Thread { [self] in
            shellLoop()
            shellStopped.store(true, ordering: .sequentiallyConsistent)
            shellFinished.signal()
        }
        execution.name = "execution"
        execution.stackSize = configuration.executionStackSize
        execution.start()

        shellFinished.wait()
        let restart = lifecycle.withLock { state in
            if case .shuttingDown(let restart) = state { return restart }
            return false
        }
        interpreter.value.shutdown(restart: restart)
        controlWakeup.signal()
        controlFinished.wait()
        publisher.stop()
        context.shutdown()
        heartbeat.wait()
        shellSocket.close()
        controlSocket.close()
        stdin.close()
        // The shutdown reply may still be queued: it must reach the network before the
        // process exits (on a loaded machine the I/O thread may not have run yet).
        context.terminate()
        hasFinished.store(true, ordering: .sequentiallyConsistent)
        return restart
    }

    /// Stops the running cell as a KeyboardInterrupt would (SIGINT and `interrupt_request` both
    /// land here). Harmless while idle. Safe from any thread.
    public func interrupt() {
        interpreter.value.interrupt()
        if isExecuting.load(ordering: .sequentiallyConsistent) { stdin.interrupt() }
    }

    /// Begins shutting down as a `shutdown_request` would: the running cell is interrupted and
    /// `run()` returns once it has stopped. Safe from any thread.
    ///
    /// - Parameter restart: passed to `Interpreter.shutdown(restart:)` and returned by `run()`.
    public func shutdown(restart: Bool = false) {
        let first = lifecycle.withLock { state in
            guard state == .running else { return false }
            state = .shuttingDown(restart: restart)
            return true
        }
        guard first else { return }
        interrupt()
        shellWakeup.signal()
        controlWakeup.signal()
        if let onStuckShutdown = configuration.onStuckShutdown {
            let (seconds, attoseconds) = configuration.shutdownGrace.components
            let grace = Double(seconds) + Double(attoseconds) / 1e18
            DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [self] in
                guard !hasFinished.load(ordering: .sequentiallyConsistent) else { return }
                log("shutdown: the running cell did not stop within \(grace) s; exiting")
                publisher.flush()
                onStuckShutdown()
            }
        }
    }

    /// Whether the execution thread has left its loop.
    var hasShellStopped: Bool { shellStopped.load(ordering: .sequentiallyConsistent) }

    /// Whether a shutdown has begun.
    var isShuttingDown: Bool {
        lifecycle.withLock { $0 != .running }
    }
}

/// The interpreter, shareable with the control thread only for `interrupt()`, which the
/// `Interpreter` protocol declares safe from any thread; every other call comes from the
/// execution thread.
final class InterpreterHandle: @unchecked Sendable {
    let value: any Interpreter

    init(_ value: any Interpreter) {
        self.value = value
    }
}
