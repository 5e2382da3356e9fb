import Testing

@testable import Cell

/// `%whos` in bounded time whatever the session holds: the memory column counts storage that
/// values share once, and strings are escaped only as far as they are shown. The soak found
/// `%whos` deaf to the stop button for minutes, escaping a huge string only to show 50
/// characters of it (and it would have walked a shared nested array for hours).
@Suite struct WhosTests {
    private func bytes(of name: String, in harness: CellHarness, budget: Int = 100_000) throws
        -> Int
    {
        let session = harness.interpreter.session
        let value = try #require(session.globals.value(of: name))
        return session.approximateBytes(of: value, budget: budget)
    }

    @Test func sharedNestedArraysAreCountedOncePerStorage() throws {
        let harness = CellHarness()
        // Describes 20⁸ = 25.6 billion elements, holds 8 storages of 20 slots.
        harness.run("var a = [1]\nfor _ in 0..<8 { a = Array(repeating: a, count: 20) }")
        let counted = try bytes(of: "a", in: harness)
        let slot = MemoryLayout<Value>.stride
        #expect(counted == slot * (1 + 8 * 20 + 1))
        let whos = harness.run("%whos")
        #expect(whos.error == nil)
        #expect(whos.stdout.contains("a          [Any]   [20, 20]   3.8 KiB"))
    }

    @Test func sharedTuplesAreCountedOncePerStorage() throws {
        let harness = CellHarness()
        harness.run("var t: Any = 1\nfor _ in 0..<40 { t = (t, t) }")
        let counted = try bytes(of: "t", in: harness)
        #expect(counted < 100 * MemoryLayout<Value>.stride * 4)
    }

    @Test func distinctElementsPastTheBudgetCountOneSlotEach() throws {
        let harness = CellHarness()
        harness.run("let rows = (0..<300).map { i in (0..<1_000).map { \"\\(i + $0)\" } }")
        let slot = MemoryLayout<Value>.stride
        let within = try bytes(of: "rows", in: harness, budget: 10_000_000)
        let cut = try bytes(of: "rows", in: harness, budget: 1_000)
        // Past the budget the strings' characters are no longer looked at: fewer bytes, but
        // never fewer than a slot per element.
        #expect(cut < within)
        #expect(cut >= slot * 300 * 1_000)
    }

    @Test func aStringIsEscapedOnlyAsFarAsItIsShown() {
        #expect(Value.quoted("ab\"cd", limit: 3) == (text: "\"ab\\\"…\"", isCut: true))
        #expect(Value.quoted("ab\"cd", limit: 5) == (text: "\"ab\\\"cd\"", isCut: false))
        #expect(Value.quoted("a\nb") == "\"a\\nb\"")
    }

    @Test func aDescriptionStopsInsideALongStringAtItsCharacterLimit() throws {
        var describer = ValueDescriber()
        describer.limits.characters = 100
        let long = Value.string(String(repeating: "a", count: 100_000))
        let text = try describer.describe(.array([.int(1), long, .int(2)]))
        #expect(text.utf8.count < 200)
        #expect(text.hasPrefix("[1, \"aaaa"))
        #expect(text.hasSuffix("(the rest of the value not shown)"))
    }

    @Test func whosShowsTheStartOfALongStringQuoted() {
        let harness = CellHarness()
        harness.run("let s = String(repeating: \"ab\\\"\", count: 100_000)")
        let whos = harness.run("%whos")
        #expect(whos.error == nil)
        #expect(whos.stdout.contains("\"ab\\\"ab\\\"ab"))
    }

    @Test func aTextOverAMegabyteHasItsSizeAsShapeRatherThanACharacterCount() {
        let harness = CellHarness()
        harness.run("let small = \"héllo\"\nlet big = String(repeating: \"ab\", count: 1_048_576)")
        let whos = harness.run("%whos")
        #expect(whos.stdout.contains("[5]"))
        #expect(whos.stdout.contains("2.0 MiB text"))
    }

    @Test func inspectingAHugeStringShowsItsSizeAndItsStart() throws {
        let harness = CellHarness()
        harness.run("let big = String(repeating: \"ab\", count: 1_048_576)")
        let text = try #require(
            Inspector(session: harness.interpreter.session).describe(["big"], detailLevel: 0))
        #expect(text.contains("2.0 MiB of text"))
        #expect(text.contains("\"ababab"))
        #expect(text.utf8.count < 600)
    }
}
