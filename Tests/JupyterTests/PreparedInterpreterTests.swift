import Dispatch
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

    @Test func anInterruptBeforeTheBuildIsHarmless() throws {
        let prepared = PreparedInterpreter(info: TestInterpreter().info) { TestInterpreter() }
        prepared.interrupt()
        #expect(prepared.isComplete("1 + 1") == TestInterpreter().isComplete("1 + 1"))
    }
}
