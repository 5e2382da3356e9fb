import Foundation
import KernelInterface
import Testing

@testable import Jupyter

/// Interrupts and shutdowns while a cell runs, through the control channel.
@Suite struct InterruptTests {
    @Test func interruptRequestStopsARunningCellWithinASecond() throws {
        let kernel = try TestKernel()
        _ = try kernel.execute("count")
        let running = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "loop").json)
        Thread.sleep(forTimeInterval: 0.1)
        let start = ContinuousClock.now
        let interruptReply = try kernel.request(.interruptRequest, on: .control)
        #expect(interruptReply.content == ["status": "ok"])
        let reply = try kernel.client.reply(to: running, timeout: .seconds(5))
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(try reply.decode(ExecuteReply.self).status == .error(.keyboardInterrupt))
        // The session is intact: the counter goes on from where it was.
        let (_, outputs) = try kernel.execute("count")
        #expect(TestKernel.streamText(outputs) == "2\n")
    }

    @Test func controlAnswersKernelInfoWhileACellRuns() throws {
        let kernel = try TestKernel()
        let running = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "sleep 1500").json)
        Thread.sleep(forTimeInterval: 0.1)
        let start = ContinuousClock.now
        let info = try kernel.request(.kernelInfoRequest, on: .control)
        #expect(ContinuousClock.now - start < .milliseconds(500))
        #expect(info.type == .kernelInfoReply)
        _ = try kernel.client.reply(to: running, timeout: .seconds(5))
    }

    @Test func interruptWhileIdleIsHarmless() throws {
        let kernel = try TestKernel()
        _ = try kernel.request(.interruptRequest, on: .control)
        kernel.server.interrupt()
        let (reply, outputs) = try kernel.execute("count")
        #expect(reply.status == .ok(payload: [], userExpressions: [:]))
        #expect(TestKernel.streamText(outputs) == "1\n")
    }

    @Test func interruptStopsAWaitForInput() throws {
        let kernel = try TestKernel()
        // Ask for input but never answer: the front end below ignores the stdin channel.
        let running = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "input never", allowStdin: true).json)
        let prompt = try #require(try kernel.client.receive(on: .stdin, timeout: .seconds(5)))
        #expect(prompt.type == .inputRequest)
        #expect(prompt.parentHeader?.messageId == running.messageId)
        _ = try kernel.request(.interruptRequest, on: .control)
        let reply = try kernel.client.reply(to: running, timeout: .seconds(2))
        #expect(try reply.decode(ExecuteReply.self).status == .error(.keyboardInterrupt))
    }

    @Test func shutdownInterruptsTheRunningCell() throws {
        let kernel = try TestKernel()
        let running = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "loop").json)
        Thread.sleep(forTimeInterval: 0.1)
        let reply = try kernel.request(
            .shutdownRequest, ShutdownContent(restart: false).json, on: .control)
        #expect(reply.content["restart"] == false)
        let executeReply = try kernel.client.reply(to: running, timeout: .seconds(5))
        #expect(executeReply.content["ename"] == "KeyboardInterrupt")
        #expect(kernel.waitUntilStopped(timeout: .seconds(5)))
    }

    @Test func stuckCellDoesNotBlockShutdownForever() throws {
        let stuck = Locked(false)
        let kernel = try TestKernel { configuration in
            configuration.shutdownGrace = .milliseconds(200)
            configuration.onStuckShutdown = { stuck.withLock { $0 = true } }
        }
        // `sleep` ignores interrupts, like native code that never checks.
        _ = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "sleep 3000").json)
        Thread.sleep(forTimeInterval: 0.1)
        _ = try kernel.request(.shutdownRequest, on: .control)
        let start = ContinuousClock.now
        while !stuck.value, ContinuousClock.now - start < .milliseconds(2500) {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(stuck.value)
        #expect(!kernel.waitUntilStopped(timeout: .zero))  // the cell is still sleeping
        #expect(kernel.waitUntilStopped(timeout: .seconds(5)))
    }
}
