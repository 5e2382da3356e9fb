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

    /// Inside a loop or a function, `%time` and `%timeit` see the block's names (as IPython's
    /// do a loop's variables), and what `%time` declares stays in the block.
    @Test func timeAndTimeitInsideBlocksUseTheBlocksNames() {
        let harness = CellHarness()
        let loop = harness.run(
            """
            var total = 0
            for i in 1...3 {
                let m = i * 10
                %time total += m
                %time let doubled = m * 2
                total += doubled
            }
            total
            """)
        #expect(loop.succeeded, "\(String(describing: loop.error))")
        #expect(loop.result == "180")
        #expect(loop.stdout.components(separatedBy: "Wall time: ").count == 7, "\(loop.stdout)")
        let function = harness.run(
            """
            var calls = 0
            func measured(_ k: Int) -> Int {
                let step = k
                %timeit -n 4 -r 2 calls += step
                return calls
            }
            measured(5)
            """)
        #expect(function.succeeded, "\(String(describing: function.error))")
        #expect(function.result == "40")
        #expect(function.stdout.contains("(mean ± std. dev. of 2 runs, 4 loops each)"))
        // A name the block does not have is still an error, at its place.
        let missing = harness.run("for j in 0..<2 {\n    %time nosuch + j\n}")
        #expect(missing.error?.value.contains("cannot find 'nosuch' in scope") == true)
        // At the top of a cell, what `%time` declares is a global, as before.
        harness.run("%time let top = 7")
        #expect(harness.run("top").result == "7")
    }
}
