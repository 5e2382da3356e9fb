import CZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// A one-shot timer as a descriptor (Linux `timerfd`): `arm(after:)` and `disarm()` are one
/// system call each from any thread and wake nobody; the thread that polls `descriptor` (as
/// `ZMQPoller.Source.descriptor`) wakes when the time is up and calls `acknowledge()`.
///
/// This is what lets a fast request's messages be held and sent as one burst: arming a timer
/// that the publishing thread never needs, in the common case, costs no thread wake-up, where a
/// deadline handed over through a `WakeupPipe` costs one.
package final class OneShotTimer: @unchecked Sendable {
    // The descriptor is fixed for the object's lifetime; timerfd calls are thread safe.
    /// The descriptor that becomes readable when the timer expires.
    package let descriptor: Int32

    /// Creates a disarmed timer on the monotonic clock.
    ///
    /// - Throws: `JupyterError.socket` when the system has no descriptor left.
    package init() throws(JupyterError) {
        let descriptor = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK | TFD_CLOEXEC))
        guard descriptor >= 0 else {
            throw JupyterError.socket(
                operation: "timerfd_create", target: "timer",
                reason: String(cString: strerror(errno)))
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Makes the descriptor readable `interval` from now (replacing an earlier arming).
    package func arm(after interval: Duration) {
        let (seconds, attoseconds) = interval.components
        var setting = itimerspec()
        setting.it_value.tv_sec = Int(max(seconds, 0))
        setting.it_value.tv_nsec = Int(max(attoseconds / 1_000_000_000, 0))
        // A zero it_value would disarm: the shortest real arming is a nanosecond.
        if setting.it_value.tv_sec == 0, setting.it_value.tv_nsec == 0 {
            setting.it_value.tv_nsec = 1
        }
        _ = timerfd_settime(descriptor, 0, &setting, nil)
    }

    /// Stops the timer; an expiry not yet acknowledged may still be reported once.
    package func disarm() {
        var setting = itimerspec()
        _ = timerfd_settime(descriptor, 0, &setting, nil)
    }

    /// Clears the descriptor's readiness after an expiry (does nothing if there was none).
    package func acknowledge() {
        var expirations: UInt64 = 0
        while read(descriptor, &expirations, MemoryLayout<UInt64>.size) < 0, errno == EINTR {}
    }
}
