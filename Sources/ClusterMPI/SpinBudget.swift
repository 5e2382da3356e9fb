import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How long a rank's wait polls back to back before it sleeps between polls (and how long each
/// sleep then lasts, `sleepMicroseconds`): long (500 µs)
/// while spinning takes a CPU from nobody, short (50 µs) once the machine has more runnable
/// threads than CPUs. A wait that sleeps pays a wake-up when its peer arrives, which on a
/// virtual machine with an idle vCPU costs tens to hundreds of microseconds (and every later
/// message of the exchange may pay it again); a wait that spins on a shared machine takes the
/// CPU its peer or another program needs.
///
/// Measured on 2 vCPUs (bench/cluster/epoch_cpu.py, docs/distributed.md): with the ranks
/// alone on the CPUs (real-time priority), a 500 µs spin took 0.61× and 0.92× the
/// data-parallel epoch time of a 50 µs one in two runs, for 0.89× and 1.01× the CPU; with three
/// other builds running, a 300 µs spin took 1.10× the time and 1.15× the CPU. Which case holds
/// is read from the kernel's count of runnable threads (`/proc/loadavg`, at most every 10 ms),
/// which counts the spinning rank itself, against the CPUs the process may use (Foundation's
/// `activeProcessorCount`, as the worker pool counts them). `/proc/loadavg` counts the host's
/// threads even in a container, so there the short spin is the likelier choice; a count of 0
/// (gVisor shows "0/0") is unknown, and so short. `TRAINBOOK_CLUSTER_SPIN_US` (microseconds, 0
/// to 1,000,000) fixes the spin instead.
///
/// ```swift
/// var budget = SpinBudget()
/// let spin = budget.nanoseconds(now: clock)   // 500_000 on an otherwise idle machine
/// ```
struct SpinBudget {
    /// The spin while no runnable thread waits for a CPU.
    static let idleNanoseconds: UInt64 = 500_000
    /// The spin on a machine with more runnable threads than CPUs.
    static let contendedNanoseconds: UInt64 = 50_000
    /// How long a reading of `/proc/loadavg` is used.
    static let refreshNanoseconds: UInt64 = 10_000_000

    private let cpus: Int
    private let fixed: UInt64?
    private let readRunnable: () -> Int?
    private var current = contendedNanoseconds
    private var readAt: UInt64?

    /// A budget for `cpus` CPUs (default: those the process may use), fixed by `environment`'s
    /// `TRAINBOOK_CLUSTER_SPIN_US` when set, reading the runnable threads with `readRunnable`
    /// (default: `/proc/loadavg`).
    init(
        cpus: Int = ProcessInfo.processInfo.activeProcessorCount,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        readRunnable: @escaping () -> Int? = SpinBudget.runnableThreads
    ) {
        self.cpus = max(1, cpus)
        fixed = Self.fixedNanoseconds(environment: environment)
        self.readRunnable = readRunnable
    }

    /// `TRAINBOOK_CLUSTER_SPIN_US` in nanoseconds (clamped to 0–1 s), nil when not set or not
    /// a number.
    static func fixedNanoseconds(environment: [String: String]) -> UInt64? {
        guard let microseconds = environment["TRAINBOOK_CLUSTER_SPIN_US"].flatMap({ Int($0) })
        else { return nil }
        return UInt64(min(max(microseconds, 0), 1_000_000)) * 1_000
    }

    /// The spin for a wait that starts at `now` (monotonic nanoseconds).
    mutating func nanoseconds(now: UInt64) -> UInt64 {
        if let fixed { return fixed }
        if let readAt, now >= readAt, now - readAt < Self.refreshNanoseconds { return current }
        readAt = now
        current = Self.nanoseconds(runnable: readRunnable(), cpus: cpus)
        return current
    }

    /// The spin when `runnable` threads (nil: unknown) compete for `cpus` CPUs.
    /// 0 runnable threads is unknown too: the reading thread itself always runs.
    static func nanoseconds(runnable: Int?, cpus: Int) -> UInt64 {
        guard let runnable, runnable > 0, runnable <= cpus else { return contendedNanoseconds }
        return idleNanoseconds
    }

    /// The runnable threads in `/proc/loadavg`'s text ("0.52 0.58 0.59 2/145 17142": 2), nil
    /// when the text has no such field.
    static func runnableThreads(inLoadAverage text: String) -> Int? {
        let fields = text.split(separator: " ")
        guard fields.count >= 4, let slash = fields[3].firstIndex(of: "/") else { return nil }
        return Int(fields[3][..<slash])
    }

    /// The machine's runnable threads now (nil where `/proc/loadavg` cannot be read).
    static func runnableThreads() -> Int? {
        let descriptor = open("/proc/loadavg", O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 128)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return runnableThreads(inLoadAverage: String(decoding: bytes.prefix(count), as: UTF8.self))
    }

    /// How long a wait sleeps after `sleeps` sleeps: 20 µs twice, then 40, 80 and 160 µs
    /// (twice each), then 160 µs; from 20,000 sleeps on (a peer gone for seconds), 1 ms.
    ///
    /// Each sleep costs a rank a context switch each way, which on this virtual machine is
    /// most of a wait's CPU (`finish_task_switch` under `clock_nanosleep`: 15 % of a rank's
    /// samples during a data-parallel fit at load 5, the allreduce's own copy 7 %). A peer that
    /// has not come within the first sleeps is most often one the scheduler is not running (a
    /// loaded machine, where the spin is only 50 µs): polling it every 20 µs then burns the CPU
    /// that the peer, or the others, need. Longer sleeps poll it less often, for at most 160 µs
    /// of lateness once it comes. On an idle machine the 500 µs spin (`nanoseconds(now:)`) covers the
    /// waits and they rarely sleep at all.
    static func sleepMicroseconds(afterSleeps sleeps: Int) -> UInt32 {
        guard sleeps < 20_000 else { return 1_000 }
        return 20 << min(max(sleeps, 0) / 2, 3)
    }
}
