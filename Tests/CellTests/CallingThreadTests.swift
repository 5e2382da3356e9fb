import CellLibrary
import Dispatch
import Foundation
import KernelInterface
import Testing

@testable import Cell

/// An interpreter configured to evaluate on the calling thread (as the kernel runs it) behaves
/// as one with its own evaluation thread: same results, a persistent session, deep recursion
/// on a caller that has the configured stack.
@Suite struct CallingThreadTests {
    @Test func cellsRunOnTheCallersThreadWithTheSameResults() throws {
        let results = Self.onThread(stackSize: CellInterpreter.Configuration().stackSize) {
            var configuration = CellInterpreter.Configuration.withLibrary
            configuration.evaluatesOnCallingThread = true
            let harness = CellHarness(configuration: configuration)
            return [
                harness.run("6 * 7").result,
                harness.run("func depth(_ n: Int) -> Int { n == 0 ? 0 : 1 + depth(n - 1) }").result,
                harness.run("depth(5000)").result,
                harness.run("1 + \"a\"").error?.name,
            ]
        }
        #expect(results == ["42", nil, "5000", "TypeError"])
    }

    /// Runs `body` on a new thread with `stackSize` bytes of stack and returns its result.
    private static func onThread<T: Sendable>(
        stackSize: Int, _ body: @escaping @Sendable () -> T
    ) -> T? {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return box.value
    }

    private final class Box<T>: @unchecked Sendable {
        var value: T?
    }
}
