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

    /// At the budget, removing a key that is not there (`d[key] = nil`) adds nothing and is no
    /// error; `updateValue` and `merging`, which add a key, stop with a MemoryError as
    /// `d[key] = value` does, changing nothing.
    @Test(arguments: [true, false])
    func addingMethodsCheckTheBudgetAndRemovingNothingDoesNot(usesFastPaths: Bool) {
        var configuration = CellFile.configuration
        configuration.memoryLimit = 1 << 20
        configuration.usesFastPaths = usesFastPaths
        let harness = CellHarness(configuration: configuration)
        let fill = harness.run("var d: [Int: Int] = [:]\nfor i in 0..<100_000 { d[i] = i }")
        #expect(fill.error?.name == "MemoryError")
        let removal = harness.run("let n = d.count\nd[n] = nil\nd[n + 1] = nil\nd.count == n")
        #expect(removal.error == nil, "\(removal.error?.value ?? "")")
        #expect(removal.result == "true")
        let cells = [
            "d.updateValue(0, forKey: n)",
            "var e = d\ne.updateValue(0, forKey: n)",
            "let f = d.merging([n: 0]) { old, _ in old }",
        ]
        for cell in cells {
            let run = harness.run(cell)
            #expect(run.error?.name == "MemoryError", "\(cell)")
            #expect(run.error?.value.contains("beyond the memory budget of 1.0 MiB") == true)
        }
        #expect(
            harness.run("(d.count == n, d[n] == nil, d.updateValue(7, forKey: 0))").result
                == "(true, true, 0)")
    }

    /// Methods that build a new dictionary entry by entry (`mapValues`, `filter`,
    /// `Dictionary(uniqueKeysWithValues:)`) check each doubling of its table against the budget,
    /// which a tensor has nearly used up.
    @Test(arguments: [
        "d.mapValues { $0 + 1 }", "d.filter { _ in true }",
        "Dictionary(uniqueKeysWithValues: pairs)",
    ])
    func buildingMethodsCheckTheBudget(cell: String) {
        var configuration = CellFile.configuration
        configuration.memoryLimit = 1 << 20
        let harness = CellHarness(configuration: configuration)
        let setup = harness.run(
            """
            var d: [Int: Int] = [:]
            for i in 0..<2_000 { d[i] = i }
            let pairs = (0..<2_000).map { ($0, $0) }
            let small = d.mapValues { $0 }.count
            let t = Tensor(zeros: [250_000])
            small
            """)
        #expect(setup.error == nil, "\(setup.error?.value ?? "")")
        #expect(setup.result == "2000")
        let run = harness.run(cell)
        #expect(run.error?.name == "MemoryError", "\(cell)")
        #expect(harness.run("d.count").result == "2000")
    }
}
