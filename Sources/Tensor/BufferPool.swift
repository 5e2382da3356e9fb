import Foundation
import Synchronization

/// A size-bucketed cache of freed tensor buffers, so that steady-state training reuses memory
/// instead of calling malloc for every op.
///
/// Sizes are rounded up to one of four classes per power of two (1, 1.25, 1.5, 1.75 × 2^k, as in
/// jemalloc's size classes), which wastes at most 25 %. Freed buffers go back to their class's
/// stack, up to `cacheLimit` cached bytes in all; beyond that they are freed. Buffers are 64-byte
/// aligned (a cache line, and enough for any SIMD load).
///
/// Buffers of `mappedSize` bytes or more are mapped pages of their own (mmap), so freeing one
/// (beyond the cache limit, or by `trim()` when the shapes are about to change) gives its memory
/// back to the system at once, whatever malloc would have done with it.
enum BufferPool {
    /// Alignment of every buffer.
    static let alignment = 64
    /// Buffers smaller than this are rounded up to it.
    static let minimumSize = 64
    /// Buffers this big or bigger are mapped pages of their own.
    static let mappedSize = 1 << 20

    private struct Cache {
        var free: [Int: [UInt]] = [:]
        var cachedBytes = 0
    }

    private static let cache = Mutex(Cache())
    private static let limit = Atomic<Int>(256 << 20)
    private static let requests = Atomic<Int>(0)

    /// How many buffers have been requested so far, reused or not, by every thread.
    static var allocationCount: Int { requests.load(ordering: .relaxed) }

    /// The thread whose requests `requests(byThisThreadDuring:)` is counting (0: none), and its count.
    private static let countedThread = Atomic<UInt>(0)
    private static let countedRequests = Atomic<Int>(0)
    private static let counting = Mutex(())

    /// How many buffers the calling thread requests while `body` runs: a test measures a
    /// training step with it to check that the step allocates no tensor, whatever other tests
    /// running at the same time allocate. One measurement runs at a time.
    static func requests(byThisThreadDuring body: () throws -> Void) rethrows -> Int {
        try counting.withLock { _ in
            countedRequests.store(0, ordering: .relaxed)
            countedThread.store(UInt(pthread_self()), ordering: .relaxed)
            defer { countedThread.store(0, ordering: .relaxed) }
            try body()
            return countedRequests.load(ordering: .relaxed)
        }
    }

    /// The most bytes kept in the cache for reuse (default 256 MiB).
    static var cacheLimit: Int {
        get { limit.load(ordering: .relaxed) }
        set { limit.store(max(0, newValue), ordering: .relaxed) }
    }

    /// The bytes currently cached (free buffers kept for reuse).
    static var cachedBytes: Int { cache.withLock { $0.cachedBytes } }

    /// The bytes currently cached in buffers of exactly `capacity` bytes (one size class).
    static func cachedBytes(capacity: Int) -> Int {
        cache.withLock { ($0.free[capacity]?.count ?? 0) * capacity }
    }

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
        if countedThread.load(ordering: .relaxed) == UInt(pthread_self()) {
            countedRequests.add(1, ordering: .relaxed)
        }
        let reused: UInt? = cache.withLock { cache in
            guard let address = cache.free[capacity]?.popLast() else { return nil }
            cache.cachedBytes -= capacity
            return address
        }
        if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) {
            return pointer
        }
        if capacity >= mappedSize,
            let pages = mmap(
                nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            pages != MAP_FAILED
        {
            return pages
        }
        return UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: alignment)
    }

    /// Gives a buffer back to the system (unmapped or freed, as it was allocated).
    private static func free(_ pointer: UnsafeMutableRawPointer, capacity: Int) {
        if capacity >= mappedSize {
            munmap(pointer, capacity)
        } else {
            pointer.deallocate()
        }
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
        if !kept { free(pointer, capacity: capacity) }
    }

    /// Frees every cached buffer.
    static func trim() {
        let buffers: [(address: UInt, capacity: Int)] = cache.withLock { cache in
            let all = cache.free.flatMap { size, addresses in addresses.map { ($0, size) } }
            cache.free = [:]
            cache.cachedBytes = 0
            return all
        }
        for buffer in buffers {
            if let pointer = UnsafeMutableRawPointer(bitPattern: buffer.address) {
                free(pointer, capacity: buffer.capacity)
            }
        }
    }
}
