import KernelInterface
import Testing

@testable import Cell

/// Completion ranking as a table: the code before the cursor (after cells run first) and the
/// match expected first, plus words that must not be offered.
@Suite struct CompletionRankingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var setup: String = ""
        var code: String
        var first: String
        var absent: [String] = []
        var testDescription: String { "\(code) → \(first)" }
    }

    static let cases: [Case] = [
        Case(
            code: "pr", first: "print",
            absent: ["protocol", "private", "RMSProp", "debugPrint"]),
        Case(code: "pri", first: "print", absent: ["private"]),
        Case(code: "im", first: "", absent: ["import"]),
        Case(code: "fil", first: "", absent: ["fileprivate"]),
        Case(code: "Ad", first: "Adam"),
        Case(code: "rmsp", first: "RMSProp"),
        Case(code: "dbgpr", first: "debugPrint"),
        Case(setup: "let predictions = 1", code: "pr", first: "predictions"),
        Case(code: "let prior = 2\npr", first: "prior"),
        Case(setup: "let Prim = 1\nlet prim = 2", code: "prim", first: "prim"),
        Case(setup: "let Prim = 1", code: "prim", first: "Prim"),
        Case(code: "whi", first: "while"),
        Case(setup: "let x = [1]", code: "x.co", first: "count"),
    ]

    @Test(arguments: cases) func firstMatch(_ testCase: Case) {
        let harness = CellHarness()
        if !testCase.setup.isEmpty { #expect(harness.run(testCase.setup).succeeded) }
        let cursor = testCase.code.unicodeScalars.count
        let texts = harness.interpreter.complete(testCase.code, cursor: cursor).matches.map(\.text)
        if !testCase.first.isEmpty { #expect(texts.first == testCase.first, "\(texts.prefix(8))") }
        for word in testCase.absent { #expect(!texts.contains(word), "\(word) in \(texts)") }
    }

    @Test func prefixMatchesComeBeforeAndExcludeSubsequenceMatches() {
        let texts = CellHarness().interpreter.complete("pr", cursor: 2).matches.map(\.text)
        #expect(!texts.isEmpty)
        #expect(texts.allSatisfy { $0.lowercased().hasPrefix("pr") }, "\(texts)")
    }

    @Test func unsupportedKeywordsAreNeverOffered() {
        let interpreter = CellHarness().interpreter
        for word in ["protocol", "private", "fileprivate", "import", "public", "internal"] {
            let prefix = String(word.prefix(4))
            let texts = interpreter.complete(prefix, cursor: prefix.count).matches.map(\.text)
            #expect(!texts.contains(word), "\(prefix): \(texts)")
        }
    }
}
