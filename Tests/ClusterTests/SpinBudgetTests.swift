import Testing

@testable import ClusterMPI

/// `SpinBudget`: a long spin only while every runnable thread has a CPU, read from
/// `/proc/loadavg`'s running/total field.
@Suite struct SpinBudgetTests {
    @Test func readsTheRunnableThreadsOfTheLoadAverage() {
        #expect(SpinBudget.runnableThreads(inLoadAverage: "0.52 0.58 0.59 2/145 17142\n") == 2)
        #expect(SpinBudget.runnableThreads(inLoadAverage: "7.80 7.67 6.58 13/145 17142") == 13)
        #expect(SpinBudget.runnableThreads(inLoadAverage: "0.52 0.58 0.59") == nil)
        #expect(SpinBudget.runnableThreads(inLoadAverage: "a b c d/e f") == nil)
        #expect(SpinBudget.runnableThreads(inLoadAverage: "") == nil)
    }

    @Test func spinsLongOnlyWhileNoRunnableThreadWaitsForACPU() {
        #expect(SpinBudget.nanoseconds(runnable: 2, cpus: 2) == SpinBudget.idleNanoseconds)
        #expect(SpinBudget.nanoseconds(runnable: 1, cpus: 2) == SpinBudget.idleNanoseconds)
        #expect(SpinBudget.nanoseconds(runnable: 3, cpus: 2) == SpinBudget.contendedNanoseconds)
        #expect(SpinBudget.nanoseconds(runnable: nil, cpus: 2) == SpinBudget.contendedNanoseconds)
        #expect(SpinBudget.idleNanoseconds > SpinBudget.contendedNanoseconds)
    }

    /// A runnable count of 0 (gVisor's "0/0") is unknown: the reader itself always runs.
    @Test func noRunnableThreadsIsUnknown() {
        #expect(SpinBudget.nanoseconds(runnable: 0, cpus: 2) == SpinBudget.contendedNanoseconds)
        var budget = SpinBudget(cpus: 2, environment: [:], readRunnable: { 0 })
        #expect(budget.nanoseconds(now: 1_000) == SpinBudget.contendedNanoseconds)
    }

    /// The runnable threads are read at most every 10 ms; what was read decides until then.
    @Test func readsTheRunnableThreadsAtMostEvery10Milliseconds() {
        var reads = 0
        var runnable = 1
        var budget = SpinBudget(
            cpus: 2, environment: [:],
            readRunnable: {
                reads += 1
                return runnable
            })
        #expect(budget.nanoseconds(now: 1_000) == SpinBudget.idleNanoseconds)
        runnable = 5
        #expect(budget.nanoseconds(now: 5_000_000) == SpinBudget.idleNanoseconds)
        #expect(budget.nanoseconds(now: 10_000_999) == SpinBudget.idleNanoseconds)
        #expect(reads == 1)
        #expect(budget.nanoseconds(now: 10_001_000) == SpinBudget.contendedNanoseconds)
        #expect(reads == 2)
    }

    /// `TRAINBOOK_CLUSTER_SPIN_US` fixes the spin (clamped to 0–1 s) and nothing is read.
    @Test func theEnvironmentFixesTheSpin() {
        var reads = 0
        var budget = SpinBudget(
            cpus: 2, environment: ["TRAINBOOK_CLUSTER_SPIN_US": "200"],
            readRunnable: {
                reads += 1
                return 1
            })
        #expect(budget.nanoseconds(now: 1_000) == 200_000)
        #expect(reads == 0)
        #expect(SpinBudget.fixedNanoseconds(environment: ["TRAINBOOK_CLUSTER_SPIN_US": "-3"]) == 0)
        #expect(
            SpinBudget.fixedNanoseconds(environment: ["TRAINBOOK_CLUSTER_SPIN_US": "9999999"])
                == 1_000_000_000)
        #expect(SpinBudget.fixedNanoseconds(environment: ["TRAINBOOK_CLUSTER_SPIN_US": "x"]) == nil)
        #expect(SpinBudget.fixedNanoseconds(environment: [:]) == nil)
    }

    /// This machine's `/proc/loadavg` is read by default: every count above 0 fits a million
    /// CPUs.
    @Test func readsThisMachinesRunnableThreads() throws {
        let runnable = try #require(SpinBudget.runnableThreads())
        var budget = SpinBudget(cpus: 1_000_000, environment: [:])
        #expect(
            budget.nanoseconds(now: 1_000)
                == (runnable > 0 ? SpinBudget.idleNanoseconds : SpinBudget.contendedNanoseconds))
    }

    /// After the spin, a wait sleeps 20 µs twice, then longer (to 160 µs), so that a peer the
    /// scheduler is not running is polled less often; 1 ms once it has been gone for seconds.
    @Test func waitsSleepLongerAsTheyGoOn() {
        let sleeps = (0..<10).map { SpinBudget.sleepMicroseconds(afterSleeps: $0) }
        #expect(sleeps == [20, 20, 40, 40, 80, 80, 160, 160, 160, 160])
        #expect(SpinBudget.sleepMicroseconds(afterSleeps: 19_999) == 160)
        #expect(SpinBudget.sleepMicroseconds(afterSleeps: 20_000) == 1_000)
        #expect(SpinBudget.sleepMicroseconds(afterSleeps: Int.max) == 1_000)
        #expect(SpinBudget.sleepMicroseconds(afterSleeps: -1) == 20)
    }
}
