import Testing

@testable import Cell

/// `%time` and `%timeit` as IPython's: options before the code, the counts they ask for.
@Suite struct TimingMagicTests {
    @Test(arguments: ["%timeit -n 2 -r 3 1+1", "%timeit  -n 2 -r 3 counter += 1"])
    func timeitTakesLoopAndRunCountsBeforeTheCode(line: String) {
        let harness = CellHarness()
        harness.run("var counter = 0")
        let run = harness.run(line)
        #expect(run.succeeded, "\(String(describing: run.error))")
        #expect(run.stdout.contains("(mean ± std. dev. of 3 runs, 2 loops each)"), "\(run.stdout)")
    }

    @Test func timeitRunsTheCodeAsManyTimesAsAsked() {
        let harness = CellHarness()
        harness.run("var counter = 0")
        harness.run("%timeit -n 4 -r 2 counter += 1")
        #expect(harness.run("counter").result == "8")
    }

    @Test func timeReportsCPUAndWallTime() {
        let harness = CellHarness()
        let run = harness.run("%time 2 * 21")
        #expect(run.result == "42")
        #expect(run.stdout.hasPrefix("CPU times: user "))
        #expect(run.stdout.contains("Wall time: "))
    }
}
