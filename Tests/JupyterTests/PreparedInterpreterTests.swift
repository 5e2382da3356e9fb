import Dispatch
import Foundation
import KernelInterface
import Testing

@testable import Jupyter

/// A kernel whose interpreter is still being set up answers `kernel_info` at once, and runs
/// the first cell once the set-up is done.
@Suite struct PreparedInterpreterTests {
    @Test func kernelInfoIsAnsweredWhileTheInterpreterIsBuiltAndCellsWaitForIt() throws {
        let release = DispatchSemaphore(value: 0)
        let inner = TestInterpreter()
        let prepared = PreparedInterpreter(info: inner.info) {
            release.wait()
            return inner
        }
        let kernel = try TestKernel(interpreter: prepared)
        let reply = try kernel.request(.kernelInfoRequest)
        #expect(try reply.decode(KernelInfoReply.self).info == inner.info)
        // The build is held back until now: the cell below can only run after it.
        let header = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "1 + 2").json)
        #expect(try kernel.client.receive(on: .shell, timeout: .milliseconds(300)) == nil)
        release.signal()
        let executed = try kernel.client.reply(to: header, timeout: .seconds(10))
        #expect(
            try executed.decode(ExecuteReply.self).status == .ok(payload: [], userExpressions: [:]))
        let outputs = try kernel.iopubMessages(until: header)
        let result = outputs.first { $0.type == .executeResult }
        #expect(try result?.decode(DisplayContent.self).bundle.plainText == "3")
    }

    /// The stop button pressed on a first cell still waiting for the set-up stops that cell
    /// (the interrupt used to be dropped and the cell ran in full); the next cell runs.
    @Test func aCellInterruptedWhileWaitingForTheBuildDoesNotRun() throws {
        let release = DispatchSemaphore(value: 0)
        let inner = TestInterpreter()
        let prepared = PreparedInterpreter(info: inner.info) {
            release.wait()
            return inner
        }
        let kernel = try TestKernel(interpreter: prepared)
        let header = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "1 + 2").json)
        // Wait until the cell is waiting for the build (its busy has been published).
        var waited = 0
        while prepared.waitingExecutes == 0 && waited < 5_000 {
            usleep(1_000)
            waited += 1
        }
        #expect(prepared.waitingExecutes == 1)
        prepared.interrupt()
        release.signal()
        let reply = try kernel.client.reply(to: header, timeout: .seconds(10))
        #expect(try reply.decode(ExecuteReply.self).status == .error(.keyboardInterrupt))
        let next = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "2 + 3").json)
        let nextReply = try kernel.client.reply(to: next, timeout: .seconds(10))
        #expect(
            try nextReply.decode(ExecuteReply.self).status == .ok(payload: [], userExpressions: [:])
        )
    }

    @Test func anInterruptBeforeTheBuildIsHarmless() throws {
        let prepared = PreparedInterpreter(info: TestInterpreter().info) { TestInterpreter() }
        prepared.interrupt()
        #expect(prepared.isComplete("1 + 1") == TestInterpreter().isComplete("1 + 1"))
    }
}
