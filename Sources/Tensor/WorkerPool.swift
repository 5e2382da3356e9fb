import CVectorKernels
import Foundation
import Synchronization

/// Persistent threads that run the parts of Trainbook's fork/join splits (`Parallelism`), with
/// a hand-off that costs about a microsecond when the work comes in quick succession.
///
/// `DispatchQueue.concurrentPerform` parks its threads as soon as a split is done, and waking a
/// parked thread through the kernel costs tens of microseconds on a virtual machine: as much as
/// a training step's half-products save (issue 17; `docs/blas.md`). The pool's workers instead
/// spin for `spinDuration` after each split (`pause` for the first 20 µs, then `sched_yield`
/// between checks), watching for the next one, and only then park on a condition variable; the
/// caller waits the same way for the workers to finish.
///
/// Parts are claimed from a shared counter by the workers and the caller alike, so a split never
/// waits for a worker that is slow to wake: the caller runs every part nobody has taken. One
/// split runs at a time; a split asked for while another runs (from another thread, or from
/// inside a part) runs its parts in order on the calling thread, which keeps every core busy
/// without nesting threads and cannot deadlock.
///
/// ```swift
/// WorkerPool.shared.run(parts: 2, threads: 2) { part in … }   // part 0 and part 1, once each
/// ```
final class WorkerPool: @unchecked Sendable {
    /// The pool the tensor operations use.
    static let shared = WorkerPool(
        maximumWorkers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1),
        spinDuration: spinDuration(environment: ProcessInfo.processInfo.environment))

    /// How long an idle worker spins, and a caller spins for the workers, before parking
    /// (`TRAINBOOK_POOL_SPIN_US` microseconds, default 100; 0 parks at once).
    static func spinDuration(environment: [String: String]) -> Duration {
        let microseconds = environment["TRAINBOOK_POOL_SPIN_US"].flatMap { Int($0) } ?? 100
        return .microseconds(min(max(microseconds, 0), 1_000_000))
    }

    /// At most this many workers are started (besides the calling thread).
    let maximumWorkers: Int
    /// How long an idle worker spins before parking.
    let spinNanoseconds: Int64

    /// Job generation (high 32 bits) and the next unclaimed part of that job (low 32 bits).
    private let state = Atomic<UInt64>(0)
    /// The parts of the current job.
    private let partCount = Atomic<Int>(0)
    /// Parts of the current job that have run to the end.
    private let finished = Atomic<Int>(0)
    /// Whether a split is running (only one at a time uses the workers).
    private let busy = Atomic<Bool>(false)
    /// Workers parked (or about to park) on `workAvailable`.
    private let parkedWorkers = Atomic<Int>(0)
    /// Whether the caller is parked (or about to park) on `jobFinished`.
    private let callerParked = Atomic<Bool>(false)
    /// The threads started so far (grows, never shrinks; changed only by the split's caller).
    private let started = Atomic<Int>(0)
    /// The current job's body; written by the caller before the job is published and cleared
    /// after every part has finished, read by a thread only while it holds a claimed part.
    private var body: ((Int) -> Void)?

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let workAvailable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let jobFinished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// A pool that starts up to `maximumWorkers` threads, each spinning for `spinDuration`
    /// before it parks. (The workers live as long as the process; `shared` is the only pool
    /// outside the tests.)
    init(maximumWorkers: Int, spinDuration: Duration) {
        self.maximumWorkers = max(0, maximumWorkers)
        let (seconds, attoseconds) = spinDuration.components
        spinNanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workAvailable, nil)
        pthread_cond_init(jobFinished, nil)
    }

    /// The worker threads started so far.
    var workerCount: Int { started.load(ordering: .relaxed) }

    /// Runs `body(part)` once for each part in `0..<parts`, on the calling thread and up to
    /// `threads − 1` workers, and returns when every part has returned. When the pool is
    /// already running a split (another thread's, or the one `body` belongs to), when `threads`
    /// is 1 or when there is one part, the parts run in order on the calling thread instead.
    func run(parts: Int, threads: Int, _ body: (Int) -> Void) {
        let helpers = min(threads - 1, parts - 1, maximumWorkers)
        guard helpers > 0, parts <= Int(UInt32.max),
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for part in 0..<max(parts, 0) { body(part) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        startWorkers(upTo: helpers)
        withoutActuallyEscaping(body) { escapable in
            self.body = escapable
            partCount.store(parts, ordering: .relaxed)
            finished.store(0, ordering: .relaxed)
            let generation = UInt32(truncatingIfNeeded: state.load(ordering: .relaxed) >> 32) &+ 1
            // Publish (the body and counts above become visible with it), then wake any parked
            // worker: a worker about to park either sees the new generation or is counted.
            state.store(UInt64(generation) << 32, ordering: .sequentiallyConsistent)
            if parkedWorkers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(workAvailable)
                pthread_mutex_unlock(mutex)
            }
            runParts(of: generation)
            waitForParts(parts)
            self.body = nil
        }
    }

    /// Starts workers until `count` run (or `maximumWorkers`).
    private func startWorkers(upTo count: Int) {
        // The generation before this split's: a new worker takes part in it if it is quick.
        let seen = generation(state.load(ordering: .relaxed))
        while started.load(ordering: .relaxed) < min(count, maximumWorkers) {
            let index = started.add(1, ordering: .relaxed).newValue
            let thread = Thread { [self] in workerLoop(after: seen) }
            thread.name = "trainbook-worker-\(index)"
            thread.start()
        }
    }

    /// A worker's life: wait for a new job, run the parts it can claim, repeat.
    private func workerLoop(after first: UInt32) -> Never {
        var seen = first
        while true {
            seen = waitForJob(after: seen)
            runParts(of: seen)
        }
    }

    /// Spins, then parks, until a job newer than `seen` is published; returns its generation.
    private func waitForJob(after seen: UInt32) -> UInt32 {
        var current = seen
        let published = spin {
            current = generation(state.load(ordering: .acquiring))
            return current != seen
        }
        if published { return current }
        pthread_mutex_lock(mutex)
        parkedWorkers.add(1, ordering: .sequentiallyConsistent)
        while true {
            current = generation(state.load(ordering: .sequentiallyConsistent))
            if current != seen { break }
            pthread_cond_wait(workAvailable, mutex)
        }
        parkedWorkers.subtract(1, ordering: .relaxed)
        pthread_mutex_unlock(mutex)
        return current
    }

    /// Claims and runs parts of job `job` until none is left (or the job is over).
    private func runParts(of job: UInt32) {
        while let part = claim(in: job) {
            let parts = partCount.load(ordering: .relaxed)
            runClaimed(part)
            let done = finished.add(1, ordering: .sequentiallyConsistent).newValue
            if done == parts,
                callerParked.load(ordering: .sequentiallyConsistent)
            {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(jobFinished)
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// Runs one claimed part. Kept out of line so that the copy of `body` it makes is released
    /// before the part is counted finished (the caller then clears `body`, and
    /// `withoutActuallyEscaping` checks that nothing still holds it).
    @inline(never)
    private func runClaimed(_ part: Int) {
        body?(part)
    }

    /// The next unclaimed part of job `job`, taken, or nil when the job has none left or a
    /// newer job has been published.
    private func claim(in job: UInt32) -> Int? {
        var current = state.load(ordering: .acquiring)
        while generation(current) == job {
            let part = Int(current & 0xffff_ffff)
            // partCount may already be a newer job's; the exchange below then fails, because
            // publishing that job changed `state`.
            guard part < partCount.load(ordering: .relaxed) else { return nil }
            let (exchanged, original) = state.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiring)
            if exchanged { return part }
            current = original
        }
        return nil
    }

    /// Spins, then parks, until `parts` parts have finished.
    private func waitForParts(_ parts: Int) {
        if spin({ finished.load(ordering: .acquiring) == parts }) { return }
        pthread_mutex_lock(mutex)
        callerParked.store(true, ordering: .sequentiallyConsistent)
        while finished.load(ordering: .sequentiallyConsistent) != parts {
            pthread_cond_wait(jobFinished, mutex)
        }
        callerParked.store(false, ordering: .relaxed)
        pthread_mutex_unlock(mutex)
    }

    /// Checks `condition` with a `pause` between checks for the first `pauseNanoseconds`, then
    /// with a `sched_yield` between checks, until `spinNanoseconds` have passed; whether it
    /// became true. The yields matter when the thread it waits for shares its CPU (a loaded
    /// machine puts two threads on one core): a thread spinning on `pause` would hold the
    /// core the other needs to make progress, a yielding one hands it over.
    private func spin(_ condition: () -> Bool) -> Bool {
        if condition() { return true }
        guard spinNanoseconds > 0 else { return false }
        let start = Self.now()
        let deadline = start + spinNanoseconds
        let pauseDeadline = start + min(spinNanoseconds, Self.pauseNanoseconds)
        while true {
            for _ in 0..<32 {
                tb_spin_pause()
                if condition() { return true }
            }
            let time = Self.now()
            if time >= deadline { return condition() }
            if time >= pauseDeadline { sched_yield() }
        }
    }

    /// How long `spin` spins on `pause` alone before it yields between checks.
    static let pauseNanoseconds: Int64 = 20_000

    private func generation(_ state: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: state >> 32) }

    /// The monotonic clock in nanoseconds (a vDSO call, no system call).
    private static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
