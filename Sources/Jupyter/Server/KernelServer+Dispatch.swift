import KernelInterface

/// A request as a handler sees it: where it came from and the decoded message.
struct Request: Sendable {
    /// The channel it arrived on; the reply goes back there.
    let channel: Channel
    /// The sender's routing identities.
    let identities: [[UInt8]]
    /// The message.
    let message: Message
    /// True for an execute request queued behind a failed cell with `stop_on_error`: it is
    /// answered with `ExecutionError.aborted` without running.
    var isAborted = false

    var header: MessageHeader { message.header }
}

extension KernelServer {
    /// How one message type is served: on which channels, by which handler.
    struct Route: Sendable {
        let channels: Set<Channel>
        let handle: @Sendable (KernelServer, Request) throws(JupyterError) -> Void
    }

    /// The one dispatch table from message type to handler.
    static let routes: [MessageType: Route] = [
        .kernelInfoRequest: Route(channels: [.shell, .control]) { server, request in
            server.handleKernelInfo(request)
        },
        .executeRequest: Route(channels: [.shell]) { server, request throws(JupyterError) in
            try server.handleExecute(request)
        },
        .completeRequest: Route(channels: [.shell]) { server, request throws(JupyterError) in
            try server.handleComplete(request)
        },
        .inspectRequest: Route(channels: [.shell]) { server, request throws(JupyterError) in
            try server.handleInspect(request)
        },
        .isCompleteRequest: Route(channels: [.shell]) { server, request throws(JupyterError) in
            try server.handleIsComplete(request)
        },
        .historyRequest: Route(channels: [.shell]) { server, request throws(JupyterError) in
            try server.handleHistory(request)
        },
        .commInfoRequest: Route(channels: [.shell, .control]) { server, request in
            server.handleCommInfo(request)
        },
        .commOpen: Route(channels: [.shell]) { server, request throws(JupyterError) in
            try server.handleCommOpen(request)
        },
        .commMsg: Route(channels: [.shell]) { server, request in server.ignore(request) },
        .commClose: Route(channels: [.shell]) { server, request in server.ignore(request) },
        .shutdownRequest: Route(channels: [.shell, .control]) {
            server, request throws(JupyterError) in
            try server.handleShutdown(request)
        },
        .interruptRequest: Route(channels: [.control, .shell]) { server, request in
            server.handleInterrupt(request)
        },
    ]

    /// Decodes `frames` that arrived on `channel` and serves them; never throws, never traps:
    /// bad input is logged and, when the protocol has one, answered with an error reply.
    func receive(_ frames: [[UInt8]], on channel: Channel) {
        guard let request = decode(frames, on: channel) else { return }
        serve(request)
    }

    /// Decodes `frames`, or logs why they cannot be used (answering authentic but unusable
    /// requests with an error reply) and returns nil.
    func decode(_ frames: [[UInt8]], on channel: Channel) -> Request? {
        do {
            let received = try codec.decode(frames)
            return Request(
                channel: channel, identities: received.identities, message: received.message)
        } catch {
            log("\(channel.rawValue): \(error.error.description)")
            guard let header = error.header else { return nil }
            let request = Request(
                channel: channel, identities: error.identities, message: Message(header: header))
            withBusyStatus(for: request) { replyError(to: request, error.error) }
            return nil
        }
    }

    /// Serves one request between `busy` and `idle` status messages.
    func serve(_ request: Request) {
        withBusyStatus(for: request) {
            let type = request.header.messageType
            guard let route = MessageType(rawValue: type).flatMap({ KernelServer.routes[$0] }),
                route.channels.contains(request.channel)
            else {
                let error = JupyterError.unknownMessageType(type, channel: request.channel.rawValue)
                log(error.description)
                replyError(to: request, error)
                return
            }
            do throws(JupyterError) {
                try route.handle(self, request)
            } catch {
                log("\(type): \(error.description)")
                replyError(to: request, error)
            }
        }
    }

    /// Publishes `busy`, runs `body`, then sends the reply `body` left (see `reply(to:…)`) and
    /// publishes `idle`, after all of the request's output.
    ///
    /// `busy` is held (`IOPubPublisher.hold`): a quick request (kernel_info, complete, …) sends
    /// `busy`, its reply and `idle` as one burst, one wake-up of ZeroMQ's I/O thread instead of
    /// one per message; an execute request sends `busy` and `execute_input` together before
    /// its cell runs (`handleExecute`).
    func withBusyStatus(for request: Request, _ body: () -> Void) {
        hold(.status, parent: request.header, content: StatusContent(.busy).json)
        // A request served inside another's (an aborted execute decoded while the failed one
        // is answered) collects its own replies and gives the outer one its list back.
        let outer = deferredReplies.withLock { deferred in
            defer { deferred[request.channel] = [] }
            return deferred[request.channel]
        }
        body()
        let replies = deferredReplies.withLock { deferred in
            defer { deferred[request.channel] = outer }
            return deferred[request.channel] ?? []
        }
        let idle = session.message(
            .status, parent: request.header, content: StatusContent(.idle).json)
        if replies.isEmpty {
            publisher.publish(idle)
        } else {
            publisher.publish(idle) { [self] in
                for frames in replies { send(frames, to: request) }
            }
        }
    }

    /// Sends the reply to `request` on the channel it came from.
    func reply(to request: Request, _ type: MessageType, content: JSONValue) {
        reply(to: request, typeNamed: type.rawValue, content: content)
    }

    /// Answers a request that failed with an error reply, when its type has a reply.
    func replyError(to request: Request, _ error: JupyterError) {
        guard let replyType = MessageType.replyName(forRequest: request.header.messageType) else {
            return
        }
        let name: String
        switch error {
        case .unknownMessageType: name = "UnknownMessageType"
        case .oversizeMessage: name = "MessageTooLarge"
        default: name = "InvalidMessage"
        }
        var content = ErrorReply(ExecutionError(name: name, value: error.description)).json
        if request.header.type == .executeRequest, case .object(var fields) = content {
            fields["execution_count"] = .int(executionCount)
            content = .object(fields)
        }
        reply(to: request, typeNamed: replyType, content: content)
    }

    /// Encodes the reply; inside `withBusyStatus` it is sent there, just before `idle` (after the
    /// request's outputs), otherwise at once.
    private func reply(to request: Request, typeNamed type: String, content: JSONValue) {
        let message = Message(
            header: session.header(forTypeNamed: type), parent: request.header, content: content)
        let frames = codec.encode(message, identities: request.identities)
        let deferred = deferredReplies.withLock { replies in
            guard replies[request.channel] != nil else { return false }
            replies[request.channel]?.append(frames)
            return true
        }
        if !deferred { send(frames, to: request) }
    }

    /// Sends encoded reply `frames` on the channel `request` came from.
    private func send(_ frames: [[UInt8]], to request: Request) {
        let socket = request.channel == .control ? controlSocket : shellSocket
        do {
            try socket.send(frames)
        } catch {
            log("\(request.channel.rawValue): could not send a reply: \(error.description)")
        }
    }

    /// Sends an IOPub message now (after everything published or held before it).
    func publish(_ type: MessageType, parent: MessageHeader?, content: JSONValue) {
        publisher.publish(session.message(type, parent: parent, content: content))
    }

    /// Holds an IOPub message to go out with the next one published (`IOPubPublisher.hold`).
    func hold(_ type: MessageType, parent: MessageHeader?, content: JSONValue) {
        publisher.hold(session.message(type, parent: parent, content: content))
    }

    /// Accepts a message that needs no answer (comm messages for comms that do not exist).
    func ignore(_ request: Request) {}
}
