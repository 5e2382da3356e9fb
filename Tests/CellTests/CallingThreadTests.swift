import CellLibrary
import Dispatch
import Foundation
import KernelInterface
import Memory
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

    /// The stack a deep recursion touched stays resident after the cell (a kernel's RSS grew
    /// by 24 MiB for good after a 9,000-deep call); `%reset` gives it back. (The cells' own
    /// recursion may already be given back after the cell, when the process's resident size
    /// grew — as other tests make it — so the stack is touched here by Swift code.)
    @Test func resetReleasesTheStackADeepRecursionTouched() {
        let measured = Self.onThread(stackSize: CellInterpreter.Configuration().stackSize) {
            var configuration = CellInterpreter.Configuration()
            configuration.evaluatesOnCallingThread = true
            let harness = CellHarness(configuration: configuration)
            harness.run("func depth(_ n: Int) -> Int { n == 0 ? 0 : 1 + depth(n - 1) }")
            let result = harness.run("depth(3000)").result
            Self.touchStack(levels: 8_192)
            let touched = ThreadStack.residentUnusedBytes()
            harness.run("%reset")
            return [result, "\(touched)", "\(ThreadStack.residentUnusedBytes())"]
        }
        let values = measured ?? []
        #expect(values.first == "3000")
        #expect(values.count == 3 && (Int(values[1] ?? "") ?? 0) >= 4 << 20, "touched: \(values)")
        #expect(values.count == 3 && (Int(values[2] ?? "") ?? .max) < 1 << 20, "after: \(values)")
    }

    /// Touches 1 KiB of stack per level (the most Swift places on the stack), `levels` deep
    /// (over 8 MiB for 8,192), as a deep call does.
    @inline(never)
    private static func touchStack(levels: Int) {
        guard levels > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 << 10) { frame in
            frame.initialize(repeating: 1)
            touchStack(levels: levels - 1)
            blackHole(frame[0])
        }
    }

    @inline(never)
    private static func blackHole(_ value: UInt8) {}

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
