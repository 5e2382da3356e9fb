import Foundation
import Synchronization

/// The limit on bytes held by live tensors, checked before every allocation.
///
/// A cell that asks for a tensor too big for the machine gets `TensorError.allocationBeyondBudget`
/// instead of taking the kernel down. The default is the smaller of 8 GiB and three quarters of
/// physical memory; the cell language lets a session change it.
///
/// ```swift
/// MemoryBudget.limit = 512 << 20          // 512 MiB
/// let big = try Tensor.zeros([1 << 20, 1024])  // throws allocationBeyondBudget
/// ```
public enum MemoryBudget {
    private static let state = Atomic<Int>(0)
    private static let configuredLimit = Atomic<Int>(defaultLimit)

    /// The default limit: min(8 GiB, 3/4 of physical memory).
    public static let defaultLimit: Int = {
        let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        let eightGiB = 8 << 30
        return physical > 0 ? min(eightGiB, physical / 4 * 3) : eightGiB
    }()

    /// The most bytes live tensors may hold together.
    public static var limit: Int {
        get { configuredLimit.load(ordering: .relaxed) }
        set { configuredLimit.store(max(0, newValue), ordering: .relaxed) }
    }

    /// The bytes held by live tensors right now (their storage, not counting views twice).
    public static var liveBytes: Int { state.load(ordering: .relaxed) }

    /// Reserves `bytes` for a new storage, or throws if that would exceed the limit.
    static func reserve(_ bytes: Int) throws(TensorError) {
        let limit = self.limit
        guard bytes <= limit else {
            throw .allocationBeyondBudget(requested: bytes, live: liveBytes, limit: limit)
        }
        let (after, _) = state.add(bytes, ordering: .relaxed)
        if after > limit {
            state.subtract(bytes, ordering: .relaxed)
            throw .allocationBeyondBudget(requested: bytes, live: after - bytes, limit: limit)
        }
    }

    /// Reserves `bytes` without checking the limit (for scalars and other tiny buffers).
    static func reserveUnchecked(_ bytes: Int) {
        state.add(bytes, ordering: .relaxed)
    }

    /// Gives the buffers kept for reuse back to the system. Call it when the tensor shapes are
    /// about to change (the training loop does before each validation pass, whose batches are
    /// bigger): otherwise the new shapes' buffers come on top of the old ones' cached ones.
    ///
    /// ```swift
    /// MemoryBudget.releaseCachedBuffers()
    /// ```
    public static func releaseCachedBuffers() { BufferPool.trim() }

    /// Returns `bytes` reserved earlier.
    static func release(_ bytes: Int) {
        state.subtract(bytes, ordering: .relaxed)
    }
}
