/// Limits how often a display is redrawn, whatever the rate of updates: at most a number of
/// updates per second, always the first and always the final one.
///
/// The caller passes times (seconds on any monotonic clock); the throttle keeps no clock.
///
/// ```swift
/// var throttle = ProgressThrottle(maximumUpdatesPerSecond: 4)
/// if throttle.shouldUpdate(at: now) { output.updateDisplay(state.mimeBundle(), id: id) }
/// ```
public struct ProgressThrottle: Sendable, Hashable {
    /// The least time between two updates, in seconds.
    public let minimumInterval: Double
    private var lastUpdate: Double?

    /// Creates a throttle.
    ///
    /// - Parameter maximumUpdatesPerSecond: the most updates let through per second (default 4;
    ///   values that are not positive and finite let every update through).
    public init(maximumUpdatesPerSecond: Double = 4) {
        let rate = maximumUpdatesPerSecond
        minimumInterval = rate.isFinite && rate > 0 ? 1 / rate : 0
    }

    /// Whether to show an update at `time`; a yes is counted as shown.
    ///
    /// - Parameters:
    ///   - time: now, in seconds on the caller's monotonic clock.
    ///   - isFinal: the last update of the job, which always passes.
    public mutating func shouldUpdate(at time: Double, isFinal: Bool = false) -> Bool {
        guard time.isFinite else { return isFinal }
        if isFinal || lastUpdate == nil {
            lastUpdate = time
            return true
        }
        guard let last = lastUpdate else { return true }
        // A clock that went backwards restarts the interval rather than blocking updates.
        if time < last || time - last >= minimumInterval {
            lastUpdate = time
            return true
        }
        return false
    }
}
