import COpenBLAS
import Dispatch
import Foundation
import Synchronization

/// How many threads tensor work uses: elementwise loops split across `threadCount` cores when
/// they are big enough to pay for it, and OpenBLAS runs its own `blasThreadCount` threads.
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

    /// Runs `body` over `0..<count` split into contiguous chunks, on several threads when
    /// `count × costPerItem` reaches `minimumParallelElements`.
    static func forEachChunk(
        count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void
    ) {
        let threads = threadCount
        let (work, overflow) = count.multipliedReportingOverflow(by: max(costPerItem, 1))
        guard threads > 1, count > 1, overflow || work >= minimumParallelElements else {
            if count > 0 { body(0..<count) }
            return
        }
        let chunks = min(threads, count)
        // The chunks touch disjoint elements, and concurrentPerform returns only when all have
        // run, so handing the non-escaping, non-Sendable body to its threads is safe.
        withoutActuallyEscaping(body) { escapable in
            let shared = UncheckedSendable(escapable)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count / chunks * chunk + min(chunk, count % chunks)
                let end = start + count / chunks + (chunk < count % chunks ? 1 : 0)
                shared.value(start..<end)
            }
        }
    }
}

/// A value handed to other threads by code that guarantees its safe use (disjoint writes,
/// joined before return).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
