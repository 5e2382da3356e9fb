import CZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// The ZeroMQ socket types the protocol uses.
package enum ZMQSocketType {
    case router
    case dealer
    case xpub
    case sub
    case rep
    case req
    /// Cluster registration: a rank pushes its connection to the kernel.
    case push
    case pull

    package var rawValue: Int32 {
        switch self {
        case .router: return ZMQ_ROUTER
        case .dealer: return ZMQ_DEALER
        case .xpub: return ZMQ_XPUB
        case .sub: return ZMQ_SUB
        case .rep: return ZMQ_REP
        case .req: return ZMQ_REQ
        case .push: return ZMQ_PUSH
        case .pull: return ZMQ_PULL
        }
    }
}

/// A libzmq socket, wrapped once: every call that can be interrupted by a signal is retried on
/// `EINTR`, every failure becomes a `JupyterError`.
///
/// ZeroMQ sockets are not thread safe: each instance is used by one thread at a time (it may be
/// created on one thread and handed to another, which is what `@unchecked Sendable` allows).
package final class ZMQSocket: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    /// A name for log lines and errors, e.g. "shell".
    let role: String
    private var isClosed = false

    /// Creates a socket of `type` in `context`.
    package init(_ context: ZMQContext, type: ZMQSocketType, role: String) throws(JupyterError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQContext.failure("zmq_socket", target: role)
        }
        self.handle = handle
        self.role = role
        try setOption(ZMQ_LINGER, Int32(1000))
    }

    deinit { close() }

    /// Closes the socket; pending outgoing messages are kept for the linger period.
    package func close() {
        guard !isClosed else { return }
        isClosed = true
        zmq_close(handle)
    }

    /// Sets an integer socket option.
    package func setOption(_ option: Int32, _ value: Int32) throws(JupyterError) {
        var value = value
        let status = zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size)
        guard status == 0 else {
            throw ZMQContext.failure("zmq_setsockopt(\(option))", target: role)
        }
    }

    /// Sets a 64-bit integer socket option.
    package func setOption(_ option: Int32, _ value: Int64) throws(JupyterError) {
        var value = value
        let status = zmq_setsockopt(handle, option, &value, MemoryLayout<Int64>.size)
        guard status == 0 else {
            throw ZMQContext.failure("zmq_setsockopt(\(option))", target: role)
        }
    }

    /// Sets a binary socket option, such as a subscription or a routing identity.
    package func setOption(_ option: Int32, bytes: [UInt8]) throws(JupyterError) {
        let status = bytes.withUnsafeBytes {
            zmq_setsockopt(handle, option, $0.baseAddress, $0.count)
        }
        guard status == 0 else {
            throw ZMQContext.failure("zmq_setsockopt(\(option))", target: role)
        }
    }

    /// The descriptor (`ZMQ_FD`) that becomes readable when the socket may have news: poll it
    /// from any thread, then check the socket itself (from its owner) until it has none.
    func descriptor() throws(JupyterError) -> Int32 {
        var descriptor: Int32 = -1
        var size = MemoryLayout<Int32>.size
        guard zmq_getsockopt(handle, ZMQ_FD, &descriptor, &size) == 0 else {
            throw ZMQContext.failure("zmq_getsockopt(ZMQ_FD)", target: role)
        }
        return descriptor
    }

    /// Binds to `endpoint` and returns the endpoint actually bound (a `*` port resolved).
    @discardableResult
    package func bind(_ endpoint: String) throws(JupyterError) -> String {
        guard zmq_bind(handle, endpoint) == 0 else {
            throw ZMQContext.failure("bind", target: "\(role) socket at \(endpoint)")
        }
        var buffer = [CChar](repeating: 0, count: 512)
        var size = buffer.count
        guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            return endpoint
        }
        return String(
            decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Connects to `endpoint` (libzmq connects in the background and reconnects as needed).
    package func connect(_ endpoint: String) throws(JupyterError) {
        guard zmq_connect(handle, endpoint) == 0 else {
            throw ZMQContext.failure("connect", target: "\(role) socket to \(endpoint)")
        }
    }

    /// Sends `frames` as one multipart message.
    ///
    /// - Parameter frames: the parts, in order; an empty list sends nothing.
    package func send(_ frames: [[UInt8]]) throws(JupyterError) {
        for (index, frame) in frames.enumerated() {
            let flags = index == frames.count - 1 ? 0 : ZMQ_SNDMORE
            try sendFrame(frame, flags: flags)
        }
    }

    private func sendFrame(_ frame: [UInt8], flags: Int32) throws(JupyterError) {
        while true {
            let sent = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            if sent >= 0 { return }
            guard zmq_errno() == EINTR else { throw ZMQContext.failure("send", target: role) }
        }
    }

    /// Receives one multipart message.
    ///
    /// - Parameter wait: when false, returns nil at once if no message is queued.
    /// - Returns: the frames, or nil when `wait` is false and nothing is queued.
    /// - Throws: `JupyterError.socket`; reason "Context was terminated" after `ZMQContext.shutdown`.
    package func receive(wait: Bool = true) throws(JupyterError) -> [[UInt8]]? {
        var frames: [[UInt8]] = []
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        while true {
            // After the first part the rest of a multipart message is already queued.
            let flags = frames.isEmpty && !wait ? ZMQ_DONTWAIT : 0
            let received = zmq_msg_recv(&message, handle, flags)
            if received < 0 {
                let code = zmq_errno()
                if code == EINTR { continue }
                if code == EAGAIN && frames.isEmpty { return nil }
                throw ZMQContext.failure("receive", target: role)
            }
            let count = zmq_msg_size(&message)
            if let data = zmq_msg_data(&message), count > 0 {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: count)))
            } else {
                frames.append([])
            }
            if zmq_msg_more(&message) == 0 { break }
        }
        return frames
    }
}
