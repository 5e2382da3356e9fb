import COpenBLAS
import Foundation
import Synchronization

/// How many threads tensor work uses: elementwise loops split across `threadCount` cores when
/// they are big enough to pay for it, and matrix products split into blocks of rows or columns
/// of the result, one single-threaded OpenBLAS call per thread (`MatrixProduct`). OpenBLAS's own
/// threads (`blasThreadCount`) then only serve products made with `threadCount` 1 and code calling
/// OpenBLAS directly.
///
/// ```swift
/// Parallelism.threadCount = 1      // deterministic single-threaded elementwise work
/// Parallelism.blasThreadCount = 2
/// ```
public enum Parallelism {
    private static let threads = Atomic<Int>(ProcessInfo.processInfo.activeProcessorCount)

    /// Elementwise work below this many elements runs on the calling thread.
    public static let minimumParallelElements = 65_536

    /// Threads for elementwise loops (at least 1); defaults to the active processor count.
    public static var threadCount: Int {
        get { threads.load(ordering: .relaxed) }
        set { threads.store(max(1, newValue), ordering: .relaxed) }
    }

    /// Threads OpenBLAS uses for matrix products (OpenBLAS's own default until set).
    public static var blasThreadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, min(newValue, 256)))) }
    }

    /// How many threads a matrix product may be split across when `threads` are asked for:
    /// no more than the physical cores. Hyperthread siblings share one core's vector units, so
    /// two halves of an sgemm on them do no more arithmetic than one thread, and each repacks an
    /// operand (the issue-17 Intel host: a 2-vCPU guest, one core's two hyperthreads, where the
    /// MLP ran slower at 2 threads than at 1). A machine whose topology is hidden counts as one
    /// thread per core.
    ///
    /// ```swift
    /// Parallelism.productThreads(2)  // 1 on a 2-vCPU guest of hyperthread siblings, else 2
    /// ```
    public static func productThreads(_ threads: Int) -> Int {
        max(1, min(threads, physicalCores))
    }

    /// The physical cores of the CPUs this process may run on (at least 1).
    public static let physicalCores = physicalCores(
        logicalCPUs: ProcessInfo.processInfo.activeProcessorCount,
        threadsPerCore: CPUFeatures.current.threadsPerCore)

    /// `logicalCPUs` hardware threads counted as cores of `threadsPerCore` threads each.
    static func physicalCores(logicalCPUs: Int, threadsPerCore: Int) -> Int {
        max(1, logicalCPUs / max(1, threadsPerCore))
    }

    /// Runs `body` over `0..<count` split into contiguous chunks, on up to `threads` threads
    /// when `count × costPerItem` reaches `minimumParallelElements` (else once, on the calling
    /// thread). The chunks must touch disjoint data.
    ///
    /// ```swift
    /// Parallelism.forEachChunk(count: rows, costPerItem: columns) { range in … }
    /// ```
    public static func forEachChunk(
        count: Int, costPerItem: Int, threads: Int = threadCount, _ body: (Range<Int>) -> Void
    ) {
        let parts = partCount(count: count, costPerItem: costPerItem, limit: threads)
        guard parts > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        // The chunks touch disjoint elements, and the pool returns only when all have run.
        WorkerPool.shared.run(parts: parts, threads: threads) { index in
            body(part(index, of: parts, count: count))
        }
    }
}

extension Parallelism {
    /// How many parts to cut `count` items into: one per thread (at most `limit`), or a single
    /// one when `count × costPerItem` is below `minimumParallelElements`.
    static func partCount(count: Int, costPerItem: Int, limit: Int) -> Int {
        let (work, overflow) = count.multipliedReportingOverflow(by: max(costPerItem, 1))
        let parts = min(limit, count)
        guard parts > 1, overflow || work >= minimumParallelElements else { return 1 }
        return parts
    }

    /// Part `index` of `0..<count` cut into `parts` contiguous parts whose sizes differ by at
    /// most one.
    static func part(_ index: Int, of parts: Int, count: Int) -> Range<Int> {
        let start = count / parts * index + min(index, count % parts)
        return start..<(start + count / parts + (index < count % parts ? 1 : 0))
    }

    /// `0..<count` cut into one contiguous part per thread (at most `limit`, one part when
    /// `count × costPerItem` is below `minimumParallelElements`), for `forEachPartition`.
    static func partitions(
        count: Int, costPerItem: Int, limit: Int = threadCount
    ) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let parts = partCount(count: count, costPerItem: costPerItem, limit: limit)
        return (0..<parts).map { part($0, of: parts, count: count) }
    }

    /// Runs `body(index, part)` for each of `parts`, each on its own thread when there are
    /// several, with OpenBLAS held to one thread meanwhile: the parts' matrix products then run
    /// side by side, which beats splitting each small product across threads (data parallelism
    /// over images, as in Caffe's and PyTorch's CPU convolutions). A single part runs on the
    /// calling thread with BLAS untouched. Rethrows the first error a part throws.
    static func forEachPartition(
        _ parts: [Range<Int>], _ body: (Int, Range<Int>) throws(TensorError) -> Void
    ) throws(TensorError) {
        guard parts.count > 1 else {
            if let only = parts.first { try body(0, only) }
            return
        }
        try withSingleThreadedBLAS { () throws(TensorError) in
            try runInParallel(parts, body)
        }
    }

    /// Runs `body` with OpenBLAS held to one thread (its own threads would otherwise split the
    /// products `body` makes, and then busy-wait beside Trainbook's threads).
    static func withSingleThreadedBLAS<Failure: Error>(_ body: () throws(Failure) -> Void)
        throws(Failure)
    {
        let blasThreads = blasThreadCount
        if blasThreads > 1 { blasThreadCount = 1 }
        defer { if blasThreads > 1 { blasThreadCount = blasThreads } }
        try body()
    }

    /// Runs `body(index, part)` for each of `parts`, side by side on the pool's threads (one
    /// thread may run several parts, one after another).
    private static func runInParallel(
        _ parts: [Range<Int>], _ body: (Int, Range<Int>) throws(TensorError) -> Void
    ) throws(TensorError) {
        let firstError = Mutex<TensorError?>(nil)
        // The parts are disjoint, and the pool returns only when all have run.
        WorkerPool.shared.run(parts: parts.count, threads: parts.count) { index in
            do throws(TensorError) {
                try body(index, parts[index])
            } catch {
                firstError.withLock { stored in stored = stored ?? error }
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
    }
}
