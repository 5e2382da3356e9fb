import Foundation
import Synchronization
import Testing

@testable import Tensor

/// The worker pool behind `Parallelism`'s splits: every part runs exactly once, splits inside
/// splits and splits from several threads at once finish, and the workers really run parts
/// beside the caller. (Its speed is measured in bench/, not here.)
@Suite struct WorkerPoolTests {
    /// How many times each part of `parts` ran.
    final class Tally: Sendable {
        let counts: Mutex<[Int]>
        init(_ parts: Int) { counts = Mutex(Array(repeating: 0, count: parts)) }
        func record(_ part: Int) { counts.withLock { $0[part] += 1 } }
        var allOnce: Bool { counts.withLock { $0.allSatisfy { $0 == 1 } } }
    }

    /// Pools that spin long, that park at once (every split wakes parked workers) and that
    /// spin a little.
    static let pools = [
        WorkerPool(maximumWorkers: 3, spinDuration: .milliseconds(5)),
        WorkerPool(maximumWorkers: 3, spinDuration: .zero),
        WorkerPool(maximumWorkers: 1, spinDuration: .microseconds(2)),
    ]

    @Test(arguments: 0..<3)
    func everyPartRunsExactlyOnce(pool: Int) {
        let pool = Self.pools[pool]
        for round in 0..<300 {
            let parts = round % 7  // 0 to 6 parts, more than the workers too
            let tally = Tally(parts)
            pool.run(parts: parts, threads: 1 + round % 5) { tally.record($0) }
            #expect(tally.allOnce, "round \(round): \(parts) parts")
        }
        #expect(pool.workerCount <= pool.maximumWorkers)
    }

    @Test func oneThreadRunsThePartsInOrderOnTheCaller() {
        let order = Mutex<[Int]>([])
        let caller = pthread_self()
        let onCaller = Mutex(true)
        Self.pools[0].run(parts: 5, threads: 1) { part in
            order.withLock { $0.append(part) }
            if pthread_equal(pthread_self(), caller) == 0 { onCaller.withLock { $0 = false } }
        }
        #expect(order.withLock { $0 } == [0, 1, 2, 3, 4])
        #expect(onCaller.withLock { $0 })
    }

    @Test func partsRunBesideTheCaller() {
        // Each part waits (up to 10 s) for the other to have started: only two threads running
        // at once get both past the wait.
        let pool = WorkerPool(maximumWorkers: 1, spinDuration: .zero)
        let started = Atomic<Int>(0)
        let overlapped = Atomic<Int>(0)
        pool.run(parts: 2, threads: 2) { _ in
            started.add(1, ordering: .sequentiallyConsistent)
            let deadline = Date().addingTimeInterval(10)
            while started.load(ordering: .sequentiallyConsistent) < 2, Date() < deadline {
                usleep(50)
            }
            if started.load(ordering: .sequentiallyConsistent) == 2 {
                overlapped.add(1, ordering: .relaxed)
            }
        }
        #expect(overlapped.load(ordering: .relaxed) == 2)
        #expect(pool.workerCount == 1)
    }

    @Test(arguments: 0..<3)
    func aSplitInsideAPartRunsOnItsThread(pool: Int) {
        let pool = Self.pools[pool]
        for _ in 0..<50 {
            let tally = Tally(4 * 3)
            pool.run(parts: 4, threads: 4) { outer in
                pool.run(parts: 3, threads: 4) { inner in tally.record(outer * 3 + inner) }
            }
            #expect(tally.allOnce)
        }
    }

    @Test(arguments: 0..<3)
    func splitsFromSeveralThreadsAtOnceAllFinish(pool: Int) {
        let pool = Self.pools[pool]
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { caller in
            for round in 0..<200 {
                let parts = 1 + (round + caller) % 4
                let tally = Tally(parts)
                pool.run(parts: parts, threads: 3) { tally.record($0) }
                if !tally.allOnce { failures.add(1, ordering: .relaxed) }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }

    @Test func forEachChunkCoversEveryIndexOnce() {
        for threads in 1...4 {
            let count = 3 * Parallelism.minimumParallelElements + 5
            let seen = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: count)
            defer { seen.deallocate() }
            seen.initialize(repeating: 0)
            Parallelism.forEachChunk(count: count, costPerItem: 1, threads: threads) { range in
                for index in range { seen[index] &+= 1 }
            }
            #expect(seen.allSatisfy { $0 == 1 }, "\(threads) threads")
        }
    }

    @Test func everyPartOfAFailingPartitionRunsAndTheErrorIsRethrown() {
        let tally = Tally(3)
        #expect(throws: TensorError.self) {
            try Parallelism.forEachPartition([0..<1, 1..<2, 2..<3]) {
                part, _ throws(TensorError) in
                tally.record(part)
                if part == 0 { throw .invalidArgument(operation: "test", message: "part 0") }
            }
        }
        #expect(tally.allOnce)
    }

    @Test func spinDurationComesFromTheEnvironment() {
        #expect(WorkerPool.spinDuration(environment: [:]) == .microseconds(100))
        #expect(
            WorkerPool.spinDuration(environment: ["TRAINBOOK_POOL_SPIN_US": "20"])
                == .microseconds(20))
        #expect(
            WorkerPool.spinDuration(environment: ["TRAINBOOK_POOL_SPIN_US": "-3"]) == .zero)
        #expect(
            WorkerPool.spinDuration(environment: ["TRAINBOOK_POOL_SPIN_US": "x"])
                == .microseconds(100))
    }
}
