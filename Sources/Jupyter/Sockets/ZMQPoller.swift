import CZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// Waits until one of several sockets (or wake-up pipes) has a message to read.
package struct ZMQPoller {
    /// What a poll item watches.
    package enum Source {
        case socket(ZMQSocket)
        case pipe(WakeupPipe)
        /// A plain file descriptor, such as a socket's `ZMQ_FD`.
        case descriptor(Int32)
    }

    private var items: [zmq_pollitem_t]

    /// Creates a poller over `sources`; `poll` reports readiness in the same order.
    package init(_ sources: [Source]) {
        items = sources.map { source in
            switch source {
            case .socket(let socket):
                return zmq_pollitem_t(
                    socket: socket.handle, fd: -1, events: Int16(ZMQ_POLLIN), revents: 0)
            case .pipe(let pipe):
                return zmq_pollitem_t(
                    socket: nil, fd: pipe.readDescriptor, events: Int16(ZMQ_POLLIN), revents: 0)
            case .descriptor(let descriptor):
                return zmq_pollitem_t(
                    socket: nil, fd: descriptor, events: Int16(ZMQ_POLLIN), revents: 0)
            }
        }
    }

    /// Blocks until a source is readable or `timeoutMilliseconds` pass (-1: no timeout).
    ///
    /// - Returns: for each source, whether it is readable.
    /// - Throws: `JupyterError.socket` when the context was shut down.
    package mutating func poll(timeoutMilliseconds: Int) throws(JupyterError) -> [Bool] {
        while true {
            let count = items.withUnsafeMutableBufferPointer { buffer in
                zmq_poll(buffer.baseAddress, Int32(buffer.count), timeoutMilliseconds)
            }
            if count >= 0 { return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 } }
            guard zmq_errno() == EINTR else {
                throw ZMQContext.failure("zmq_poll", target: "poller")
            }
        }
    }
}
