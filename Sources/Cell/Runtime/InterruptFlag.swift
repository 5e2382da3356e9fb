import Synchronization

/// The flag an interrupt raises and every loop iteration and call checks: one relaxed atomic
/// load, cheap enough for the hottest loop.
public final class InterruptFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// A flag that is not raised.
    public init() {}

    /// Asks running code to stop. Safe from any thread.
    public func raise() { raised.store(true, ordering: .relaxed) }

    /// Lowers the flag (before a cell starts).
    public func clear() { raised.store(false, ordering: .relaxed) }

    /// Whether an interrupt is pending.
    @inline(__always)
    public var isRaised: Bool { raised.load(ordering: .relaxed) }
}
