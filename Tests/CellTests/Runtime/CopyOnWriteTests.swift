import Testing

@testable import Cell

/// Growing a string, an array or a dictionary held by a variable changes its storage in place
/// when nothing else shares it, as compiled Swift does; a copy per step made such loops
/// quadratic (40,000 dictionary inserts took 21 s). Each test checks that one more step keeps
/// the storage where it was when it had room, and that a shared value is still copied.
@Suite struct CopyOnWriteTests {
    /// Where the storage of the global `name` is, and how much room it has, without keeping a
    /// reference to it (which would force the next change to copy).
    static func storage(_ harness: CellHarness, _ name: String) -> (address: Int, room: Bool) {
        guard let value = harness.interpreter.session.globals.value(of: name) else {
            return (0, false)
        }
        switch value {
        case .string(let text):
            var copy = text
            return copy.withUTF8 { (Int(bitPattern: $0.baseAddress), true) }
        case .array(let elements):
            return elements.withUnsafeBufferPointer {
                (Int(bitPattern: $0.baseAddress), elements.capacity > elements.count)
            }
        case .dictionary(let dictionary):
            return dictionary.keys.withUnsafeBufferPointer {
                (Int(bitPattern: $0.baseAddress), dictionary.keys.capacity > dictionary.keys.count)
            }
        default:
            return (0, false)
        }
    }

    /// Runs `setUp`, then `step` (in a cell, a function or on a struct field) and checks the
    /// storage of `name` stayed put.
    func expectInPlace(_ setUp: String, _ step: String, name: String, grows: Bool = true) throws {
        let harness = CellHarness()
        #expect(harness.run(setUp).succeeded)
        let before = Self.storage(harness, name)
        try #require(before.address != 0)
        try #require(before.room || !grows, "the set-up must leave room for one more element")
        let run = harness.run(step)
        #expect(run.succeeded, "\(String(describing: run.error))")
        #expect(Self.storage(harness, name).address == before.address, "\(step) copied \(name)")
    }

    @Test func insertingIntoADictionaryDoesNotCopyIt() throws {
        try expectInPlace(
            "var d: [Int: Int] = [:]\nfor i in 0..<1000 { d[i] = i }", "d[1000] = 1", name: "d")
        try expectInPlace(
            "var d: [String: Int] = [:]\nfor i in 0..<1000 { d[\"k\\(i)\"] = i }",
            "d[\"new\", default: 0] += 1", name: "d")
    }

    @Test func appendingToAStringDoesNotCopyIt() throws {
        try expectInPlace(
            "var s = \"\"\nfor i in 0..<1000 { s += \"ab\" }", "s += \"c\"", name: "s")
    }

    @Test func appendingAnArrayDoesNotCopyIt() throws {
        try expectInPlace(
            "var a = [0]\nfor i in 0..<1000 { a += [i] }", "a += [1]", name: "a")
    }

    @Test func assigningAnArrayElementDoesNotCopyIt() throws {
        try expectInPlace(
            "var grid = [[0, 0], [0, 0]]\nvar a = Array(repeating: 0, count: 100)",
            "a[7] = 1\ngrid[1][0] = 5", name: "a", grows: false)
    }

    @Test func sharedValuesAreStillCopied() throws {
        let harness = CellHarness()
        let run = harness.run(
            """
            var s = "ab"
            let t = s
            s += "c"
            var d = [1: 1]
            let e = d
            d[2] = 2
            var a = [1]
            let b = a
            a += [2]
            func grow(_ text: String) -> String { var local = text; local += "!"; return local }
            print(s, t, d.count, e.count, a, b, grow(s), s)
            """)
        #expect(run.stdout == "abc ab 2 1 [1, 2] [1] abc! abc\n")
    }

    @Test func loopsInFunctionsAndStructsAppendInPlace() {
        // The same loops through a local slot, a captured box and a struct field.
        let harness = CellHarness()
        let run = harness.run(
            """
            func build(_ n: Int) -> Int {
                var s = ""
                var d: [Int: String] = [:]
                for i in 0..<n { s += "x"; d[i] = s }
                let add = { s += "y" }
                add()
                return s.count + d.count
            }
            struct Log { var text = ""; var entries: [String: Int] = [:] }
            var log = Log()
            for i in 0..<100 { log.text += "z"; log.entries["\\(i)"] = i }
            print(build(100), log.text.count, log.entries.count)
            """)
        #expect(run.stdout == "201 100 100\n", "\(String(describing: run.error))")
    }

    @Test func aFailedAppendLeavesTheValue() {
        let harness = CellHarness()
        let run = harness.run("var s = \"ab\"\ns += 1")
        #expect(!run.succeeded)
        #expect(harness.run("print(s)").stdout == "ab\n")
    }
}
