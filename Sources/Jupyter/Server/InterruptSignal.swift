import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT as a message rather than a handler: the signal is blocked in every thread and one
/// thread takes it with `sigwait`, so it never interrupts a system call (no `EINTR` storms in
/// libzmq) and a SIGINT while idle is harmless.
///
/// ```swift
/// InterruptSignal.block()                     // first thing in main, before any thread starts
/// InterruptSignal.forward { server.interrupt() }
/// ```
public enum InterruptSignal {
    /// Blocks SIGINT in the calling thread and in every thread it starts afterwards.
    public static func block() {
        var set = sigintSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Starts a thread that calls `handler` for every SIGINT the process receives.
    /// `block()` must have been called first, on the main thread.
    public static func forward(to handler: @escaping @Sendable () -> Void) {
        let thread = Thread {
            var set = sigintSet()
            while true {
                var signal: Int32 = 0
                guard sigwait(&set, &signal) == 0 else { continue }
                handler()
            }
        }
        thread.name = "sigint"
        thread.start()
    }

    private static func sigintSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        return set
    }
}
