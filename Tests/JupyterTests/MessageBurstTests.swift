import KernelInterface
import Testing

@testable import Jupyter

/// IOPub messages produced together are held and sent in one burst (one wake-up of ZeroMQ's
/// I/O thread): the order a client sees is the protocol's, nothing is held while a cell runs,
/// and nothing held is lost.
@Suite struct MessageBurstTests {
    @Test func fastCellsArriveBusyInputResultIdleInOrder() throws {
        let kernel = try TestKernel()
        for count in 1...20 {
            let header = try kernel.client.send(
                .executeRequest, content: ExecuteRequest(code: "1 + 1").json)
            let reply = try kernel.client.reply(to: header, timeout: .seconds(10))
            #expect(try reply.decode(ExecuteReply.self).executionCount == count)
            let messages = try kernel.iopubMessages(until: header)
            #expect(messages.map(\.type) == [.status, .executeInput, .executeResult, .status])
            #expect(try messages.first?.decode(StatusContent.self).state == .busy)
            #expect(try messages.last?.decode(StatusContent.self).state == .idle)
        }
    }

    @Test func busyAndInputOfASlowCellArriveWhileItRuns() throws {
        let kernel = try TestKernel()
        let header = try kernel.client.send(
            .executeRequest, content: ExecuteRequest(code: "sleep 1500").json)
        var seen: [MessageType?] = []
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .milliseconds(1000), seen.count < 2 {
            guard let message = try kernel.client.receive(on: .iopub, timeout: .milliseconds(100))
            else { continue }
            if message.parentHeader?.messageId == header.messageId { seen.append(message.type) }
        }
        // Both arrived within a second of a cell that runs for 1.5 s: not held until its end.
        #expect(seen == [.status, .executeInput])
        _ = try kernel.client.reply(to: header, timeout: .seconds(10))
    }

    @Test func heldMessagesWaitForTheNextPublishedOne() throws {
        // The stream timer must not send the text (and what is held with it) while this test
        // thread is descheduled between `write` and the check.
        let kernel = try TestKernel { $0.streamFlushInterval = .seconds(60) }
        let parent = kernel.client.session.header(for: .executeRequest)
        let session = MessageSession(username: "test")
        let publisher = kernel.server.publisher
        publisher.hold(session.message(.status, parent: parent, content: StatusContent(.busy).json))
        publisher.write("text\n", to: .stdout, parent: parent)
        publisher.hold(session.message(.clearOutput, parent: parent, content: ["wait": false]))
        // Nothing of `parent` arrives until something is published.
        #expect(try Self.messages(of: parent, kernel, within: .milliseconds(300)).isEmpty)
        publisher.publish(
            session.message(.status, parent: parent, content: StatusContent(.idle).json))
        let messages = try kernel.iopubMessages(until: parent)
        #expect(messages.map(\.type) == [.status, .stream, .clearOutput, .status])
        #expect(try messages[1].decode(StreamContent.self).text == "text\n")
    }

    @Test func flushSendsWhatIsHeld() throws {
        let kernel = try TestKernel()
        let parent = kernel.client.session.header(for: .executeRequest)
        let session = MessageSession(username: "test")
        kernel.server.publisher.hold(
            session.message(.status, parent: parent, content: StatusContent(.busy).json))
        kernel.server.publisher.flush()
        let messages = try Self.messages(of: parent, kernel, within: .seconds(5), count: 1)
        #expect(messages.map(\.type) == [.status])
    }

    /// The IOPub messages whose parent is `parent` received within `timeout` (stops at `count`).
    private static func messages(
        of parent: MessageHeader, _ kernel: TestKernel, within timeout: Duration,
        count: Int = .max
    ) throws -> [Message] {
        var messages: [Message] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, messages.count < count {
            guard let message = try kernel.client.receive(on: .iopub, timeout: .milliseconds(50))
            else { continue }
            if message.parentHeader?.messageId == parent.messageId { messages.append(message) }
        }
        return messages
    }
}
