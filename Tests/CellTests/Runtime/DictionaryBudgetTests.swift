import Testing

@testable import Cell

/// A dictionary that grows past the session's memory budget (checked when a new key doubles
/// its table) stops with a MemoryError at that statement, keeping what earlier statements
/// stored, on the compiler's fast path and on the general path alike.
@Suite struct DictionaryBudgetTests {
    @Test(arguments: [true, false])
    func growingPastTheBudgetIsAMemoryError(usesFastPaths: Bool) {
        var configuration = CellFile.configuration
        configuration.memoryLimit = 1 << 20
        configuration.usesFastPaths = usesFastPaths
        let harness = CellHarness(configuration: configuration)
        let cells = [
            "var d: [Int: Int] = [:]\nfor i in 0..<100_000 { d[i] = i }",
            "var counts: [Int: Int] = [:]\nfor i in 0..<100_000 { counts[i, default: 0] += 1 }",
            "var rows: [Int: [Int: Int]] = [0: [:]]\nfor i in 0..<100_000 { rows[0]![i] = i }",
        ]
        for cell in cells {
            let run = harness.run(cell)
            #expect(run.error?.name == "MemoryError", "\(cell)")
            #expect(run.error?.value.contains("beyond the memory budget of 1.0 MiB") == true)
        }
        // Every key before the failing one is there, and nothing from the failing statement.
        let state = harness.run(
            """
            let n = d.count
            let m = rows[0]!.count
            (n > 10_000, counts.count == n, m == n, d[n - 1] == n - 1, d[n] == nil,
             counts[n - 1] == 1, rows[0]![n - 1] == n - 1, rows[0]![n] == nil)
            """)
        #expect(state.result == "(true, true, true, true, true, true, true, true)")
        #expect(harness.run("d[0] = 5\nd[0]").result == "5")
    }
}
