#if canImport(Glibc)
    import Glibc
#endif

/// A non-blocking pipe that lets any thread wake a thread blocked in `ZMQPoller.poll`, which
/// watches the read end like a socket.
///
/// `signal()` may be called from any thread; `drain()` only from the thread that polls.
package final class WakeupPipe: @unchecked Sendable {
    // Both descriptors are fixed for the lifetime of the object; read and write on a pipe are
    // safe from different threads.
    package let readDescriptor: Int32
    private let writeDescriptor: Int32

    /// Creates the pipe.
    init() throws(JupyterError) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            throw JupyterError.socket(
                operation: "pipe", target: "wake-up pipe", reason: String(cString: strerror(errno)))
        }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    /// Wakes the polling thread. When the pipe is full a wake-up is already pending, so a failed
    /// write loses nothing.
    func signal() {
        var byte: UInt8 = 1
        while write(writeDescriptor, &byte, 1) < 0, errno == EINTR {}
    }

    /// Empties the pipe so that the next poll blocks until the next `signal()`.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(readDescriptor, &buffer, buffer.count)
            if count > 0 { continue }
            if count < 0, errno == EINTR { continue }
            return
        }
    }
}
