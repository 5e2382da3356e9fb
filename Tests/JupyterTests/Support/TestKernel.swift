import Dispatch
import Foundation
import KernelInterface
import Synchronization
import Testing

@testable import Jupyter

/// A kernel server with a `TestInterpreter`, listening on free localhost ports in this
/// process, and a client connected to it; `stop()` shuts the server down and waits for it.
final class TestKernel: @unchecked Sendable {
    let interpreter = TestInterpreter()
    let server: KernelServer
    let client: KernelClient
    let historyPath: String
    private let finished = DispatchSemaphore(value: 0)
    private let restartFlag = Locked<Bool?>(nil)
    let logLines = Locked<[String]>([])

    /// Starts a kernel.
    ///
    /// - Parameters:
    ///   - key: the signing key ("" disables signing).
    ///   - transport: tcp or ipc.
    ///   - historyPath: the history file; a fresh temporary one by default.
    ///   - served: the interpreter the server runs; `interpreter` by default.
    ///   - configure: changes to the default configuration.
    init(
        key: String = "test-key", transport: ConnectionInfo.Transport = .tcp,
        historyPath: String? = nil, interpreter served: (any Interpreter)? = nil,
        configure: (inout KernelServer.Configuration) -> Void = { _ in }
    ) throws {
        let directory =
            FileManager.default.temporaryDirectory.path + "/trainbook-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        self.historyPath = historyPath ?? directory + "/history.jsonl"
        var ports: [Channel: Int] = [:]
        if transport == .ipc {
            for (index, channel) in Channel.allCases.enumerated() { ports[channel] = index + 1 }
        }
        let ip = transport == .ipc ? directory + "/kernel" : "127.0.0.1"
        var configuration = KernelServer.Configuration(
            connection: ConnectionInfo(transport: transport, ip: ip, key: key, ports: ports))
        configuration.historyPath = self.historyPath
        let lines = logLines
        configuration.log = { line in lines.withLock { $0.append(line) } }
        configure(&configuration)
        server = try KernelServer(interpreter: served ?? interpreter, configuration: configuration)
        client = try KernelClient(connection: server.connection)
        let thread = Thread { [server, finished, restartFlag] in
            let restart = server.run()
            restartFlag.withLock { $0 = restart }
            finished.signal()
        }
        thread.start()
        try client.waitForReady(timeout: .seconds(10))
    }

    /// Whether `run()` has returned, waiting up to `timeout`.
    func waitUntilStopped(timeout: Duration = .seconds(10)) -> Bool {
        let (seconds, _) = timeout.components
        guard finished.wait(timeout: .now() + .seconds(Int(seconds))) == .success else {
            return false
        }
        finished.signal()  // later waits succeed at once
        return true
    }

    /// The restart flag `run()` returned, once it has.
    var restart: Bool? { restartFlag.withLock { $0 } }

    /// Shuts the server down (if still running) and waits for it.
    func stop() {
        server.shutdown()
        _ = waitUntilStopped()
        client.close()
    }

    deinit {
        stop()
    }

    // MARK: - Conveniences for tests

    /// Sends `type` and returns its reply.
    func request(_ type: MessageType, _ content: JSONValue = [:], on channel: Channel = .shell)
        throws -> Message
    {
        try client.request(type, content: content, on: channel, timeout: .seconds(10))
    }

    /// Executes `code` and returns the reply with the IOPub messages it produced (without
    /// status messages).
    func execute(
        _ code: String, silent: Bool = false, stopOnError: Bool = true, allowStdin: Bool = false,
        userExpressions: [String: String] = [:], onInput: ((InputRequest) -> String)? = nil
    ) throws -> (reply: ExecuteReply, outputs: [Message]) {
        var outputs: [Message] = []
        let reply = try client.execute(
            ExecuteRequest(
                code: code, silent: silent, userExpressions: userExpressions,
                allowStdin: allowStdin,
                stopOnError: stopOnError),
            timeout: .seconds(20), onOutput: { outputs.append($0) }, onInput: onInput)
        return (reply, outputs)
    }

    /// The concatenated text of the stream messages in `outputs` for `name`.
    static func streamText(_ outputs: [Message], _ name: StandardStream = .stdout) -> String {
        outputs.compactMap { message -> String? in
            guard message.type == .stream, let stream = try? message.decode(StreamContent.self),
                stream.name == name
            else { return nil }
            return stream.text
        }.joined()
    }

    /// Collects IOPub messages until `idle` for `parent`, returning everything before it.
    func iopubMessages(until parent: MessageHeader, timeout: Duration = .seconds(10)) throws
        -> [Message]
    {
        var messages: [Message] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let message = try client.receive(on: .iopub, timeout: .milliseconds(200)) else {
                continue
            }
            guard message.parentHeader?.messageId == parent.messageId else { continue }
            messages.append(message)
            if message.type == .status, (try? message.decode(StatusContent.self))?.state == .idle {
                return messages
            }
        }
        Issue.record("no idle status for \(parent.messageType)")
        return messages
    }
}
