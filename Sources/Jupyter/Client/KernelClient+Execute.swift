import KernelInterface

extension KernelClient {
    /// Waits until the kernel answers `kernel_info_request` and this client's IOPub subscription
    /// is live (an `iopub_welcome` or a status message has arrived), so that no output is lost.
    ///
    /// - Returns: the kernel's info reply.
    /// - Throws: `JupyterError.timeout` or `.kernelDied`.
    @discardableResult
    public func waitForReady(timeout: Duration) throws(JupyterError) -> KernelInfoReply {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let header = try send(.kernelInfoRequest)
            let remaining = ContinuousClock.now.duration(to: deadline)
            let reply: Message
            do {
                reply = try self.reply(to: header, timeout: min(remaining, .seconds(2)))
            } catch .timeout {
                continue  // still starting: ask again
            }
            // The idle status of this request proves the subscription was live before it; a
            // welcome proves it too, without saying whether the status is still to come.
            var subscribed = false
            let waitEnd = ContinuousClock.now + .milliseconds(500)
            while ContinuousClock.now < waitEnd,
                let message = try receive(
                    on: .iopub, timeout: ContinuousClock.now.duration(to: waitEnd))
            {
                if message.type == .iopubWelcome { subscribed = true }
                if message.parentHeader?.messageId == header.messageId, message.type == .status,
                    (try? message.decode(StatusContent.self))?.state == .idle
                {
                    subscribed = true
                    break
                }
            }
            if subscribed { return try reply.decode(KernelInfoReply.self) }
        }
        throw JupyterError.timeout(
            waitingFor: "kernel_info reply", seconds: ClientClock.seconds(timeout))
    }

    /// Runs `request` and waits until it is complete: its reply has arrived and the kernel has
    /// published `idle` for it. IOPub messages of the request are passed to `onOutput` as they
    /// come (status messages excepted); `input_request`s are answered with `onInput` (or an empty line).
    ///
    /// - Parameters:
    ///   - request: the code and flags.
    ///   - timeout: the longest the execution may take; nil waits forever.
    ///   - onTimeout: called once when `timeout` passes (to interrupt the kernel); the client
    ///     then waits up to `interruptGrace` more for the cell to end, so that the kernel is idle
    ///     again before anything else is sent, and throws `.timeout` either way.
    ///   - interruptGrace: how long to wait after `onTimeout`.
    ///   - onOutput: called for each IOPub message whose parent is this request.
    ///   - onInput: answers the kernel's prompts.
    /// - Returns: the reply.
    /// - Throws: `JupyterError.timeout`, `.kernelDied`.
    public func execute(
        _ request: ExecuteRequest, timeout: Duration? = nil, onTimeout: (() -> Void)? = nil,
        interruptGrace: Duration = .seconds(10), onOutput: (Message) -> Void = { _ in },
        onInput: ((InputRequest) -> String)? = nil
    ) throws(JupyterError) -> ExecuteReply {
        let header = try send(.executeRequest, content: request.json)
        var deadline = timeout.map { ContinuousClock.now + $0 }
        var timedOut = false
        let timeoutError = JupyterError.timeout(
            waitingFor: "execute reply", seconds: ClientClock.seconds(timeout ?? .zero))
        var reply: ExecuteReply?
        var idle = false
        while reply == nil || !idle {
            if let due = deadline, ContinuousClock.now >= due {
                guard let onTimeout, !timedOut else { throw timeoutError }
                timedOut = true
                onTimeout()
                deadline = .now + interruptGrace
            }
            guard
                let (channel, message) = try receiveAny(
                    of: [.iopub, .shell, .stdin], timeout: .milliseconds(100))
            else { continue }
            switch channel {
            case .iopub where message.parentHeader?.messageId == header.messageId:
                if message.type == .status {
                    idle = idle || (try? message.decode(StatusContent.self))?.state == .idle
                } else {
                    onOutput(message)
                }
            case .shell where message.parentHeader?.messageId == header.messageId:
                reply = try message.decode(ExecuteReply.self)
            case .stdin where message.type == .inputRequest:
                let prompt = try message.decode(InputRequest.self)
                let answer = Message(
                    header: session.header(for: .inputReply), parent: message.header,
                    content: InputReply(value: onInput?(prompt) ?? "").json)
                try sendFrames(encode(answer), on: .stdin)
            default:
                continue
            }
        }
        guard let reply, !timedOut else { throw timeoutError }
        return reply
    }
}
