import Testing

@testable import Cell

@Suite struct SessionHistoryTests {
    /// A long session keeps only its newest cells for `%history`, numbered as they ran.
    @Test func historyKeepsTheNewestCellsWithTheirNumbers() {
        let harness = CellHarness()
        harness.interpreter.session.historyLimit = 3
        for index in 1...20 { harness.run("let c\(index) = \(index)") }
        #expect((3...6).contains(harness.interpreter.session.history.count))
        let listing = harness.run("%history -n").stdout
        #expect(listing.hasSuffix("20: let c20 = 20\n21: %history -n\n"))
        #expect(!listing.contains("let c1 = 1\n"))
    }
}
