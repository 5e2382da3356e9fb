import Dispatch
import Foundation
import KernelInterface
import Testing

@testable import Cell

/// Printed text reaches the sink on time while the cell keeps running, and many small writes
/// still arrive as few chunks.
@Suite struct OutputTimingTests {
    /// Runs `code` on a background queue; returns the sink and a semaphore signalled at the end.
    private func start(_ code: String, on interpreter: CellInterpreter) -> (
        RecordingSink, DispatchSemaphore
    ) {
        let sink = RecordingSink()
        let done = DispatchSemaphore(value: 0)
        let box = InterpreterBox(interpreter)
        DispatchQueue.global().async {
            _ = box.interpreter.execute(
                ExecutionRequest(code: code, executionCount: 1), output: sink)
            done.signal()
        }
        return (sink, done)
    }

    @Test func textPrintedBeforeLongWorkArrivesWhileTheCellStillRuns() {
        let interpreter = CellInterpreter(configuration: .init())
        let (sink, done) = start(
            "print(\"started\")\nvar n = 0\nwhile true { n += 1 }", on: interpreter)
        let deadline = DispatchTime.now() + .seconds(5)
        var arrived = false
        while DispatchTime.now() < deadline {
            if sink.text() == "started\n" {
                arrived = true
                break
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        let stillRunning = done.wait(timeout: .now()) == .timedOut
        interpreter.interrupt()
        #expect(done.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(arrived)
        #expect(stillRunning)
    }

    @Test func manySmallWritesArriveAsFewChunks() {
        let run = CellHarness().run("for i in 0..<20000 { print(i) }")
        let expected = (0..<20000).map { "\($0)\n" }.joined()
        #expect(run.stdout == expected)
        // Chunks of at most 64 KiB or 50 ms of writes: far fewer than the 20,000 writes.
        #expect(run.sink.events.count < 500)
    }
}

/// Hands the interpreter to the queue that runs the cell (its calls are serialised there).
private final class InterpreterBox: @unchecked Sendable {
    let interpreter: CellInterpreter
    init(_ interpreter: CellInterpreter) { self.interpreter = interpreter }
}
