import Memory

/// Tensors and the shared memory budget (module Memory): every storage reserves its bytes from
/// `MemoryBudget.current` (the running session's budget) and gives them back when it is freed.
///
/// ```swift
/// try MemoryBudget.$current.withValue(MemoryBudget(limit: 512 << 20)) {
///     _ = try Tensor.zeros([1 << 20, 1024])  // throws allocationBeyondBudget
/// }
/// ```
extension MemoryBudget {
    /// Gives the buffers kept for reuse back to the system. Call it when the tensor shapes are
    /// about to change (the training loop does before each validation pass, whose batches are
    /// bigger): otherwise the new shapes' buffers come on top of the old ones' cached ones.
    ///
    /// ```swift
    /// MemoryBudget.releaseCachedBuffers()
    /// ```
    public static func releaseCachedBuffers() { BufferPool.trim() }

    /// Reserves `bytes` for a tensor storage; when the resident memory is what stands in the
    /// way, the buffer pool's cached buffers are given back first and the request retried.
    func reserveStorage(_ bytes: Int) throws(TensorError) {
        do {
            try reserve(bytes)
        } catch {
            guard bytes <= limit else { throw TensorError(error) }
            BufferPool.trim()
            do {
                try reserve(bytes)
            } catch {
                throw TensorError(error)
            }
        }
    }
}

extension TensorError {
    /// The budget's refusal as a tensor error.
    init(_ exceeded: MemoryBudgetExceeded) {
        self = .allocationBeyondBudget(
            requested: exceeded.requestedBytes, inUse: exceeded.inUseBytes,
            limit: exceeded.limitBytes)
    }
}
