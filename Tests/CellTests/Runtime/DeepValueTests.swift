import Testing

@testable import Cell

/// Values nested a million levels deep: releasing, comparing, hashing and describing them once
/// recursed once per level and killed the kernel with SIGSEGV (issue 11, item 3). Each test
/// builds such a value in a cell, drops or uses it, and checks that the session still answers
/// with its other variables intact.
@Suite(.serialized) struct DeepValueTests {
    /// The depth of the values built: far past what recursion survives on the test's 16 MB
    /// stack (tens of thousands of levels), and quick in a debug build.
    static let depth = 1_000_000

    /// The depth for the kinds that are slower to build in a debug build (a struct instance
    /// or a dictionary per level, or three values per level).
    static let slowerDepth = 150_000

    /// An interpreter whose evaluation thread has 16 MB of stack instead of 1 GB: releasing
    /// a value by recursion takes a few hundred bytes of stack per level, so without the
    /// iterative teardown these tests crash (with 1 GB the kernel crashed from a few million
    /// levels).
    static func harness() -> CellHarness {
        var configuration = CellInterpreter.Configuration()
        configuration.stackSize = 16 << 20
        return CellHarness(configuration: configuration)
    }

    /// Runs `cells` in order after defining a marker variable, expecting each to succeed, then
    /// checks the marker is still there.
    func expectSessionSurvives(_ cells: [String]) {
        let harness = Self.harness()
        #expect(harness.run("let marker = \"kept\"").succeeded)
        for cell in cells {
            let run = harness.run(cell)
            #expect(run.succeeded, "\(cell): \(String(describing: run.error))")
        }
        #expect(harness.run("print(marker)").stdout == "kept\n")
    }

    @Test func aDeepArrayIsReleasedByAssignmentAndByReset() {
        let build = "var n: [Any] = []\nfor _ in 0..<\(Self.depth) { n = [n] }"
        expectSessionSurvives([build, "n = []"])
        let harness = Self.harness()
        #expect(harness.run(build).succeeded)
        #expect(harness.run("%reset -f").succeeded)
        #expect(harness.run("print(1 + 1)").stdout == "2\n")
    }

    @Test func aDeepDictionaryIsReleased() {
        expectSessionSurvives([
            "var d: [String: Any] = [:]\nfor _ in 0..<\(Self.slowerDepth) { d = [\"k\": d] }",
            "d = [:]",
        ])
    }

    @Test func aDeepTupleIsReleased() {
        expectSessionSurvives([
            "var t: Any = 0\nfor _ in 0..<\(Self.depth) { t = (t, 1) }", "t = 0",
        ])
    }

    @Test func aDeepStructIsReleased() {
        expectSessionSurvives([
            "struct Node { var next: [Node] }",
            "var s = Node(next: [])\nfor _ in 0..<\(Self.slowerDepth) { s = Node(next: [s]) }",
            "s.next = []",
        ])
    }

    @Test func aChainOfClosuresIsReleased() {
        expectSessionSurvives([
            "var f = { 0 }\nfor _ in 0..<\(Self.depth) { let g = f; f = { g() + 1 } }",
            "f = { 0 }",
        ])
    }

    @Test func aDeepLocalIsReleasedWhenItsFunctionReturns() {
        expectSessionSurvives([
            """
            func build() -> Int {
                var n: [Any] = []
                for _ in 0..<\(Self.depth) { n = [n] }
                return 1
            }
            print(build())
            """
        ])
    }

    @Test func deepValuesCompareAndHash() {
        let harness = Self.harness()
        let run = harness.run(
            """
            var p: [Any] = []
            var q: [Any] = []
            var r: [Any] = [1]
            for _ in 0..<\(Self.slowerDepth) { p = [p]; q = [q]; r = [r] }
            let counts = [p: 1]
            print(p == q, p == r, counts[q] ?? 0, counts[r] ?? 0)
            """)
        #expect(run.stdout == "true false 1 0\n", "\(String(describing: run.error))")
        #expect(harness.run("p = []; q = []; r = []").succeeded)
    }

    @Test func aDeepValuePrintsCutShortWithANote() {
        let harness = Self.harness()
        #expect(harness.run("var n: [Any] = []\nfor _ in 0..<\(Self.depth) { n = [n] }").succeeded)
        let printed = harness.run("print(n)").stdout
        #expect(printed.hasPrefix(String(repeating: "[", count: 100) + "[…]"))
        #expect(printed.hasSuffix("(levels deeper than the limit shown as …)\n"))
        #expect(printed.count < 300)
        let shown = harness.run("n").result ?? ""
        #expect(shown.count < 300)
        // An error naming the type spells at most 256 levels of it.
        let message = harness.run("let x: Int = n").error?.value ?? ""
        #expect(message.contains("[[[[") && message.contains("Any]") && message.count < 1_000)
    }
}

/// Long and wide values print cut short too, saying how much was left out.
@Suite struct ValueDescriptionLimitTests {
    @Test func aLongArrayShowsItsFirstThousandElements() {
        let harness = CellHarness()
        let printed = harness.run("print(Array(0..<5000))").stdout
        #expect(printed.hasPrefix("[0, 1, 2, "))
        #expect(printed.hasSuffix(", 999, … 4,000 more] (4,000 elements not shown)\n"))
        // Up to the limit nothing changes.
        #expect(harness.run("print(Array(0..<3))").stdout == "[0, 1, 2]\n")
    }

    @Test func aDictionaryOfLongArraysIsCutToo() {
        let harness = CellHarness()
        let printed = harness.run(
            "var d: [Int: [Int]] = [:]\nfor i in 0..<3 { d[i] = Array(0..<1001) }\nprint(d)"
        ).stdout
        #expect(printed.hasSuffix("(3 elements not shown)\n"), "\(printed.suffix(80))")
    }

    @Test func teardownSeesSharedAndUniqueArrays() {
        // Computed outside #expect, which keeps a copy of what it shows.
        var unique = (0..<2).map { Value.int($0) }
        let alone = ValueTeardown.isUniquelyReferenced(&unique)
        #expect(alone)
        let copy = unique
        let shared = withExtendedLifetime(copy) { ValueTeardown.isUniquelyReferenced(&unique) }
        #expect(!shared)
        var empty: [Value] = []
        let emptyIsUnique = ValueTeardown.isUniquelyReferenced(&empty)
        #expect(!emptyIsUnique)
    }
}
