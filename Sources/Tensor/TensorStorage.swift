import Memory

/// The memory behind one or more tensors: a raw, 64-byte aligned buffer from `BufferPool`,
/// counted against `MemoryBudget` while it lives.
///
/// Tensors are values; views (reshape, transpose, slices) share a storage, and a tensor that is
/// mutated in place copies its storage first unless it is the only owner (copy-on-write).
final class TensorStorage: @unchecked Sendable {
    /// Start of the buffer.
    let base: UnsafeMutableRawPointer
    /// Bytes requested (element count × element size).
    let byteCount: Int
    /// Bytes actually held (the pool's size class).
    let capacity: Int
    /// The budget the bytes were reserved from (the session's at allocation).
    let budget: MemoryBudget

    /// Allocates room for `count` elements of `dtype` (uninitialised), checking the memory
    /// budget first.
    init(count: Int, dtype: DType) throws(TensorError) {
        let budget = MemoryBudget.current
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else {
            throw .allocationBeyondBudget(
                requested: Int.max, inUse: budget.trackedBytes, limit: budget.limit)
        }
        try budget.reserveStorage(byteCount)
        let capacity = BufferPool.sizeClass(for: byteCount)
        budget.reserveUnchecked(capacity - byteCount)
        self.budget = budget
        self.byteCount = byteCount
        self.capacity = capacity
        self.base = BufferPool.allocate(capacity: capacity)
        Self.bind(base, count: count, dtype: dtype)
    }

    /// Allocates room for a few elements (at most 64 bytes) without checking the budget: a
    /// scalar must never fail to exist.
    init(tinyCount count: Int, dtype: DType) {
        let byteCount = min(count * dtype.byteSize, BufferPool.minimumSize)
        let capacity = BufferPool.sizeClass(for: byteCount)
        budget = MemoryBudget.current
        budget.reserveUnchecked(capacity)
        self.byteCount = byteCount
        self.capacity = capacity
        self.base = BufferPool.allocate(capacity: capacity)
        Self.bind(base, count: count, dtype: dtype)
    }

    private static func bind(_ base: UnsafeMutableRawPointer, count: Int, dtype: DType) {
        switch dtype {
        case .float32: base.bindMemory(to: Float.self, capacity: count)
        case .int32: base.bindMemory(to: Int32.self, capacity: count)
        case .uint8: base.bindMemory(to: UInt8.self, capacity: count)
        case .int8: base.bindMemory(to: Int8.self, capacity: count)
        }
    }

    deinit {
        BufferPool.release(base, capacity: capacity)
        budget.release(capacity)
    }

    /// The buffer as elements of `type` (the type it was bound to at allocation).
    @inline(__always)
    func elements<Scalar>(_ type: Scalar.Type) -> UnsafeMutablePointer<Scalar> {
        base.assumingMemoryBound(to: type)
    }
}
