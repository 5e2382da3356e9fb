import KernelInterface
import Testing

@testable import Jupyter

/// Printed text reaches the front end complete, in order, and in few messages.
@Suite struct StreamCoalescingTests {
    @Test func hundredThousandLinesArriveCompleteInOrderInFewMessages() throws {
        let kernel = try TestKernel()
        let (reply, outputs) = try kernel.execute("lines 100000")
        #expect(reply.status == .ok(payload: [], userExpressions: [:]))
        let streams = outputs.filter { $0.type == .stream }
        let text = TestKernel.streamText(outputs)
        let expected = (1...100_000).map { "line \($0)\n" }.joined()
        #expect(text.utf8.count == expected.utf8.count)
        #expect(text == expected)
        // 100,000 writes of ~12 bytes: at most 64 KiB per message, plus timer flushes.
        #expect(streams.count >= 10)
        #expect(streams.count < 200)
    }

    @Test func interleavedStreamsKeepTheirOrder() throws {
        let kernel = try TestKernel()
        let (_, outputs) = try kernel.execute(
            "print a\nprint b\neprint c\nprint d\neprint e\neprint f")
        let pieces = outputs.compactMap { try? $0.decode(StreamContent.self) }
        #expect(
            pieces == [
                StreamContent(name: .stdout, text: "a\nb\n"),
                StreamContent(name: .stderr, text: "c\n"),
                StreamContent(name: .stdout, text: "d\n"),
                StreamContent(name: .stderr, text: "e\nf\n"),
            ])
    }

    @Test func textIsSentBeforeDisplaysAndTheResult() throws {
        let kernel = try TestKernel()
        let (_, outputs) = try kernel.execute("print one\ndisplay x shown\nprint two\n1 + 1")
        #expect(
            outputs.map(\.type) == [.executeInput, .stream, .displayData, .stream, .executeResult])
    }

    @Test func slowOutputIsFlushedWithoutWaitingForTheCellToEnd() throws {
        let kernel = try TestKernel()
        let header = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "print early\nsleep 1000").json)
        var sawEarlyText = false
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .milliseconds(800) {
            guard let message = try kernel.client.receive(on: .iopub, timeout: .milliseconds(100))
            else { continue }
            if message.parentHeader?.messageId == header.messageId, message.type == .stream {
                sawEarlyText = true
                break
            }
        }
        #expect(sawEarlyText)
        _ = try kernel.client.reply(to: header, timeout: .seconds(5))
    }
}
