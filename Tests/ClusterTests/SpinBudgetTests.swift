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

    /// This machine's `/proc/loadavg` is read: every count fits a million CPUs, none fits none.
    @Test func decidesFromThisMachinesRunnableThreads() {
        var budget = SpinBudget(cpus: 1_000_000)  // every count fits: always the long spin
        #expect(budget.nanoseconds(now: 1_000) == SpinBudget.idleNanoseconds)
        var contended = SpinBudget(cpus: 0)  // none fits: always the short spin
        #expect(contended.nanoseconds(now: 1_000) == SpinBudget.contendedNanoseconds)
        #expect(contended.nanoseconds(now: 2_000_000) == SpinBudget.contendedNanoseconds)
    }
}
