import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT as a message rather than an action: a handler (installed for the whole process,
/// whichever thread the signal lands on, including threads that libraries such as OpenBLAS
/// start before `main`) writes one byte to a pipe, and one thread reads the pipe and calls the
/// forwarded closure. A SIGINT while idle is therefore harmless, and system calls interrupted by
/// it are restarted (`SA_RESTART`) or retried on `EINTR` by the socket layer.
///
/// ```swift
/// InterruptSignal.install()                    // first thing in main
/// InterruptSignal.forward { server.interrupt() }
/// ```
public enum InterruptSignal {
    /// Installs the SIGINT handler. Call once, early; later calls do nothing.
    public static func install() {
        _ = installed
    }

    /// Starts a thread that calls `handler` for every SIGINT the process receives.
    public static func forward(to handler: @escaping @Sendable () -> Void) {
        guard let readDescriptor = installed else { return }
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 16)
            while true {
                let count = read(readDescriptor, &buffer, buffer.count)
                if count > 0 {
                    for _ in 0..<count { handler() }
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        thread.name = "sigint"
        thread.start()
    }

    /// The read end of the signal pipe, once the handler is installed (nil if that failed).
    private static let installed: Int32? = {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return nil }
        _ = fcntl(descriptors[1], F_SETFL, fcntl(descriptors[1], F_GETFL) | O_NONBLOCK)
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        signalPipeWriteDescriptor = descriptors[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = writeSignalByte
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        guard sigaction(SIGINT, &action, nil) == 0 else { return nil }
        return descriptors[0]
    }()
}

/// The pipe the signal handler writes to; set once, before the handler is installed.
nonisolated(unsafe) private var signalPipeWriteDescriptor: Int32 = -1

/// The SIGINT handler: only `write`, which is async-signal-safe. A full pipe means interrupts
/// are already pending, so a failed write loses nothing.
private func writeSignalByte(_ signal: Int32) {
    let savedErrno = errno
    var byte: UInt8 = 1
    _ = write(signalPipeWriteDescriptor, &byte, 1)
    errno = savedErrno
}
