import Synchronization

/// A size-bucketed cache of freed tensor buffers, so that steady-state training reuses memory
/// instead of calling malloc for every op.
///
/// Sizes are rounded up to one of four classes per power of two (1, 1.25, 1.5, 1.75 × 2^k, as in
/// jemalloc's size classes), which wastes at most 25 %. Freed buffers go back to their class's
/// stack, up to `cacheLimit` cached bytes in all; beyond that they are freed. Buffers are 64-byte
/// aligned (a cache line, and enough for any SIMD load).
enum BufferPool {
    /// Alignment of every buffer.
    static let alignment = 64
    /// Buffers smaller than this are rounded up to it.
    static let minimumSize = 64

    private struct Cache {
        var free: [Int: [UInt]] = [:]
        var cachedBytes = 0
    }

    private static let cache = Mutex(Cache())
    private static let limit = Atomic<Int>(256 << 20)
    private static let requests = Atomic<Int>(0)

    /// How many buffers have been requested so far, reused or not: a test takes the difference
    /// around a training step to check that the step allocates no tensor.
    static var allocationCount: Int { requests.load(ordering: .relaxed) }

    /// The most bytes kept in the cache for reuse (default 256 MiB).
    static var cacheLimit: Int {
        get { limit.load(ordering: .relaxed) }
        set { limit.store(max(0, newValue), ordering: .relaxed) }
    }

    /// The bytes currently cached (free buffers kept for reuse).
    static var cachedBytes: Int { cache.withLock { $0.cachedBytes } }

    /// The capacity actually allocated for a request of `bytes` (its size class).
    static func sizeClass(for bytes: Int) -> Int {
        let size = max(bytes, minimumSize)
        let power = Int.bitWidth - 1 - (size - 1).leadingZeroBitCount  // floor(log2(size - 1))
        let quarter = (1 << power) >> 2
        // Round up to a multiple of a quarter of the power of two below `size`.
        return (size + quarter - 1) / quarter * quarter
    }

    /// A buffer of at least `capacity` bytes (a size class from `sizeClass(for:)`), reused from
    /// the cache when one is free.
    static func allocate(capacity: Int) -> UnsafeMutableRawPointer {
        requests.add(1, ordering: .relaxed)
        let reused: UInt? = cache.withLock { cache in
            guard let address = cache.free[capacity]?.popLast() else { return nil }
            cache.cachedBytes -= capacity
            return address
        }
        if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) {
            return pointer
        }
        return UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: alignment)
    }

    /// Returns a buffer of `capacity` bytes to the cache, or frees it if the cache is full.
    static func release(_ pointer: UnsafeMutableRawPointer, capacity: Int) {
        let limit = cacheLimit
        let kept: Bool = cache.withLock { cache in
            guard cache.cachedBytes + capacity <= limit else { return false }
            cache.free[capacity, default: []].append(UInt(bitPattern: pointer))
            cache.cachedBytes += capacity
            return true
        }
        if !kept { pointer.deallocate() }
    }

    /// Frees every cached buffer.
    static func trim() {
        let addresses: [UInt] = cache.withLock { cache in
            let all = cache.free.values.flatMap { $0 }
            cache.free = [:]
            cache.cachedBytes = 0
            return all
        }
        for address in addresses {
            UnsafeMutableRawPointer(bitPattern: address)?.deallocate()
        }
    }
}
