import Dispatch
import KernelInterface
import Testing

@testable import Cell

@Suite struct SmokeTests {
    @Test func arithmeticResult() {
        let harness = CellHarness()
        #expect(harness.run("6 * 7").result == "42")
    }

    @Test func printsHelloAndNoResult() {
        let run = CellHarness().run("print(\"hello, world\")")
        #expect(run.stdout == "hello, world\n")
        #expect(run.result == nil)
    }

    @Test func printsToStandardError() {
        let run = CellHarness().run("print(\"oops\", to: &standardError)")
        #expect(run.stderr == "oops\n")
        #expect(run.stdout.isEmpty)
    }

    @Test func sessionPersistsAcrossCells() {
        let harness = CellHarness()
        harness.run("var total = 40\nfunc bump(_ x: Int) -> Int { x + 1 }")
        #expect(harness.run("bump(total) + 1").result == "42")
    }

    @Test func runtimeErrorHasPositionAndCause() throws {
        let run = CellHarness().run("let x = 1\nx + \"a\"")
        let error = try #require(run.error)
        #expect(error.name == "TypeError")
        #expect(error.value == "cannot add values of type Int and String")
        #expect(error.traceback.contains("    x + \"a\""))
        #expect(error.traceback.contains("    ^~~~~~~"))
    }

    @Test func syntaxErrorNamesTheMissingToken() throws {
        let error = try #require(CellHarness().run("print(1").error)
        #expect(error.name == "SyntaxError")
        #expect(error.value == "expected ')' to close the argument list")
    }

    @Test func interruptStopsAnEndlessLoop() async throws {
        let harness = CellHarness()
        let interpreter = harness.interpreter
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { interpreter.interrupt() }
        let error = try #require(harness.run("var n = 0\nwhile true { n += 1 }").error)
        #expect(error.name == "KeyboardInterrupt")
        #expect(harness.run("n > 0").result == "true")
    }

    @Test func completesBuiltinNames() {
        let result = CellHarness().interpreter.complete("pri", cursor: 3)
        #expect(result.matches.first?.text == "print")
        #expect(result.cursorStart == 0)
        #expect(result.cursorEnd == 3)
    }

    @Test func knowsAnOpenBraceFromAFinishedCell() {
        let interpreter = CellHarness().interpreter
        #expect(interpreter.isComplete("for i in 0..<3 {") == .incomplete(indent: "    "))
        #expect(interpreter.isComplete("print(1)") == .complete)
        #expect(interpreter.isComplete("print(1))") == .invalid)
    }

    @Test func inspectsPrint() throws {
        let bundle = try #require(
            CellHarness().interpreter.inspect("print", cursor: 5, detailLevel: 0))
        #expect(bundle.plainText?.hasPrefix("print(_ items: Any...") == true)
    }
}
