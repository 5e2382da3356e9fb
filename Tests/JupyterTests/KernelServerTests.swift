import KernelInterface
import Testing

@testable import Jupyter

/// The kernel server over real libzmq sockets, driven by the client, with the test interpreter.
@Suite struct KernelServerTests {
    @Test(arguments: [ConnectionInfo.Transport.tcp, .ipc])
    func kernelInfoIsAnsweredBetweenBusyAndIdle(transport: ConnectionInfo.Transport) throws {
        let kernel = try TestKernel(transport: transport)
        let header = try kernel.client.send(.kernelInfoRequest)
        let reply = try kernel.client.reply(to: header, timeout: .seconds(10))
        #expect(reply.type == .kernelInfoReply)
        #expect(reply.parentHeader == header)
        #expect(reply.header.version == "5.4")
        let info = try reply.decode(KernelInfoReply.self)
        #expect(info.protocolVersion == "5.4")
        #expect(info.info == kernel.interpreter.info)
        #expect(reply.content["status"] == "ok")
        let statuses = try kernel.iopubMessages(until: header).map {
            try $0.decode(StatusContent.self).state
        }
        #expect(statuses == [.busy, .idle])
    }

    @Test func kernelInfoIsAlsoServedOnControl() throws {
        let kernel = try TestKernel()
        let reply = try kernel.request(.kernelInfoRequest, on: .control)
        #expect(try reply.decode(KernelInfoReply.self).info.implementation == "test")
    }

    @Test func executeProducesInputStreamsAndResult() throws {
        let kernel = try TestKernel()
        let (reply, outputs) = try kernel.execute("print hello\neprint oops\n1 + 2")
        #expect(reply.status == .ok(payload: [], userExpressions: [:]))
        #expect(reply.executionCount == 1)
        #expect(outputs.map(\.type) == [.executeInput, .stream, .stream, .executeResult])
        #expect(
            try outputs[0].decode(ExecuteInput.self)
                == ExecuteInput(code: "print hello\neprint oops\n1 + 2", executionCount: 1))
        #expect(TestKernel.streamText(outputs) == "hello\n")
        #expect(TestKernel.streamText(outputs, .stderr) == "oops\n")
        let result = try outputs[3].decode(DisplayContent.self)
        #expect(result.bundle.plainText == "3")
        #expect(result.executionCount == 1)
        let (second, _) = try kernel.execute("1 + 1")
        #expect(second.executionCount == 2)
    }

    @Test func failedCellPublishesErrorAndRepliesWithIt() throws {
        let kernel = try TestKernel()
        let (reply, outputs) = try kernel.execute("print before\nfail")
        let error = ExecutionError(name: "TestError", value: "failed on purpose")
        #expect(reply.status == .error(error))
        #expect(outputs.map(\.type) == [.executeInput, .stream, .error])
        #expect(try outputs[2].decode(ErrorContent.self).error == error)
    }

    @Test func silentExecutionPublishesNothingAndKeepsTheCount() throws {
        let kernel = try TestKernel()
        _ = try kernel.execute("1 + 1")
        let (reply, outputs) = try kernel.execute("print hidden\n1 + 2", silent: true)
        #expect(outputs.isEmpty)
        #expect(reply.executionCount == 1)
        let (next, _) = try kernel.execute("1 + 1")
        #expect(next.executionCount == 2)
    }

    @Test func stopOnErrorAbortsTheRequestsAlreadyQueued() throws {
        let kernel = try TestKernel()
        // Queue three requests while the first runs: the failing one and two behind it.
        let failing = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "print a\nsleep 300\nfail").json)
        let queued1 = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "count").json)
        let info = try kernel.client.send(.kernelInfoRequest)
        let queued2 = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "count").json)
        var replies: [String: Message] = [:]
        while replies.count < 4,
            let message = try kernel.client.receive(on: .shell, timeout: .seconds(10))
        {
            replies[message.parentHeader?.messageId ?? ""] = message
        }
        #expect(
            try replies[failing.messageId]?.decode(ExecuteReply.self).status
                == .error(ExecutionError(name: "TestError", value: "failed on purpose")))
        for queued in [queued1, queued2] {
            let reply = try #require(replies[queued.messageId])
            #expect(reply.content["status"] == "error")
            #expect(reply.content["ename"] == "ExecutionAborted")
        }
        #expect(replies[info.messageId]?.type == .kernelInfoReply)
        #expect(kernel.interpreter.counter == 0)
        // Requests sent after the reply run normally.
        let (after, outputs) = try kernel.execute("count")
        #expect(after.status == .ok(payload: [], userExpressions: [:]))
        #expect(TestKernel.streamText(outputs) == "1\n")
    }

    @Test func withoutStopOnErrorQueuedRequestsRun() throws {
        let kernel = try TestKernel()
        let failing = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "fail", stopOnError: false).json)
        let queued = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "count").json)
        _ = try kernel.client.reply(to: failing, timeout: .seconds(10))
        let reply = try kernel.client.reply(to: queued, timeout: .seconds(10))
        #expect(reply.content["status"] == "ok")
    }

    @Test func displaysUpdatesClearsAndPages() throws {
        let kernel = try TestKernel()
        let (reply, outputs) = try kernel.execute(
            "display d1 first\nupdate d1 second\nclear wait\npage docs")
        #expect(
            outputs.map(\.type) == [.executeInput, .displayData, .updateDisplayData, .clearOutput])
        let display = try outputs[1].decode(DisplayContent.self)
        #expect(display == DisplayContent(bundle: MimeBundle(plainText: "first"), displayId: "d1"))
        #expect(try outputs[2].decode(DisplayContent.self).bundle.plainText == "second")
        #expect(try outputs[3].decode(ClearOutputContent.self).wait)
        #expect(
            reply.status
                == .ok(
                    payload: [["source": "page", "data": ["text/plain": "docs"], "start": 0]],
                    userExpressions: [:]))
    }

    @Test func userExpressionsAreEvaluatedEachOnItsOwn() throws {
        let kernel = try TestKernel()
        let (reply, _) = try kernel.execute(
            "count", userExpressions: ["good": "counter", "bad": "nope"])
        guard case .ok(_, let expressions) = reply.status else {
            Issue.record("expected ok, got \(reply.status)")
            return
        }
        #expect(
            expressions["good"] == ["status": "ok", "data": ["text/plain": "1"], "metadata": [:]])
        #expect(expressions["bad"]?["status"] == "error")
        #expect(expressions["bad"]?["ename"] == "NameError")
    }

    @Test func inputRequestsGoToTheFrontEndOnStdin() throws {
        let kernel = try TestKernel()
        var prompts: [InputRequest] = []
        let (reply, outputs) = try kernel.execute("input name?", allowStdin: true) { request in
            prompts.append(request)
            return "Ada"
        }
        #expect(reply.status == .ok(payload: [], userExpressions: [:]))
        #expect(prompts == [InputRequest(prompt: "name?", password: false)])
        #expect(TestKernel.streamText(outputs) == "got Ada\n")
        let (refused, _) = try kernel.execute("input name?", allowStdin: false)
        #expect(
            refused.status
                == .error(
                    ExecutionError(name: "StdinNotImplementedError", value: "input not allowed")))
    }

    @Test func completionInspectionAndCompleteness() throws {
        let kernel = try TestKernel()
        // The cursor counts Unicode scalars: the cat is one scalar (two UTF-16 units).
        let completion = try kernel.request(
            .completeRequest, CodeAtCursor(code: "🐱 pri", cursorPosition: 5).json)
        let result = try completion.decode(CompleteReply.self).result
        #expect(result.matches.map(\.text) == ["print"])
        #expect(result.matches.first?.signature == "print TEXT")
        #expect(result.cursorStart == 2)
        #expect(result.cursorEnd == 5)
        let beyond = try kernel.request(.completeRequest, ["code": "pr", "cursor_pos": 99])
        #expect(beyond.content["cursor_end"] == 2)

        let inspection = try kernel.request(
            .inspectRequest, CodeAtCursor(code: "print", detailLevel: 1).json)
        #expect(
            try inspection.decode(InspectReply.self).bundle?.plainText
                == "print TEXT: writes a line (detail 1)")
        let nothing = try kernel.request(.inspectRequest, CodeAtCursor(code: "zzz").json)
        #expect(nothing.content["found"] == false)
        #expect(nothing.content["status"] == "ok")

        let verdicts: [(String, Completeness)] = [
            ("x", .complete), ("x\\", .incomplete(indent: "  ")), ("!x", .invalid),
            ("?x", .unknown),
        ]
        for (code, expected) in verdicts {
            let reply = try kernel.request(.isCompleteRequest, IsCompleteRequest(code: code).json)
            #expect(try reply.decode(IsCompleteReply.self).completeness == expected)
        }
    }

    @Test func commsAreListedEmptyAndUnknownTargetsClosed() throws {
        let kernel = try TestKernel()
        let info = try kernel.request(.commInfoRequest)
        #expect(info.content == ["status": "ok", "comms": [:]])
        let open = try kernel.client.send(
            .commOpen, content: ["comm_id": "c1", "target_name": "nothing", "data": [:]])
        let messages = try kernel.iopubMessages(until: open)
        let close = try #require(messages.first { $0.type == .commClose })
        #expect(try close.decode(CommContent.self).commId == "c1")
    }

    @Test func shutdownEchoesRestartAndStopsTheServer() throws {
        let kernel = try TestKernel()
        let reply = try kernel.request(
            .shutdownRequest, ShutdownContent(restart: true).json, on: .control)
        #expect(try reply.decode(ShutdownContent.self).restart)
        #expect(kernel.waitUntilStopped())
        #expect(kernel.restart == true)
        #expect(kernel.interpreter.shutdowns.value == [true])
    }

    @Test func unsignedKernelWorks() throws {
        let kernel = try TestKernel(key: "")
        let (reply, _) = try kernel.execute("1 + 2")
        #expect(reply.status == .ok(payload: [], userExpressions: [:]))
    }

    @Test func heartbeatEchoes() throws {
        let kernel = try TestKernel()
        #expect(kernel.client.ping())
    }
}
