import KernelInterface
import Testing

@testable import Jupyter

/// Bad input of every kind, sent raw over real sockets: each is logged, answered with an error
/// reply where the protocol has one, and afterwards the kernel still answers kernel_info.
@Suite struct MalformedInputTests {
    /// What the kernel must do with one malformed message.
    enum Expected: Sendable {
        /// No reply at all (the message cannot be trusted or has no reply type).
        case noReply
        /// An error reply of `type` whose ename is `ename`.
        case errorReply(type: String, ename: String)
        /// A normal reply of `type`: the input is repaired, not rejected.
        case repairedReply(type: String)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let channel: Channel
        let frames: @Sendable (MessageSession) -> [[UInt8]]
        let expected: Expected
        var testDescription: String { name }
    }

    static let key = "malformed-key"
    static let signer = MessageSigner(key: Array(key.utf8))

    /// Signed frames from raw JSON parts.
    static func signed(
        header: String, parent: String = "{}", metadata: String = "{}", content: String
    )
        -> [[UInt8]]
    {
        let parts = [header, parent, metadata, content].map { Array($0.utf8) }
        return [JupyterProtocol.delimiter, signer.hexSignature(of: parts)] + parts
    }

    /// Signed frames of a message whose header is valid.
    static func signed(_ session: MessageSession, type: String, content: String) -> [[UInt8]] {
        signed(header: session.header(forTypeNamed: type).json.jsonString(), content: content)
    }

    static let cases: [Case] = [
        Case(
            name: "one garbage frame", channel: .shell, frames: { _ in [Array("garbage".utf8)] },
            expected: .noReply),
        Case(name: "an empty frame", channel: .shell, frames: { _ in [[]] }, expected: .noReply),
        Case(
            name: "no delimiter", channel: .shell, frames: { _ in [[1], [2], [3], [4], [5], [6]] },
            expected: .noReply),
        Case(
            name: "too few parts after the delimiter", channel: .shell,
            frames: { _ in [JupyterProtocol.delimiter, [], Array("{}".utf8)] }, expected: .noReply),
        Case(
            name: "bad signature", channel: .shell,
            frames: { session in
                var frames = signed(
                    session, type: "execute_request", content: #"{"code": "count"}"#)
                frames[1] = Array(String(repeating: "0", count: 64).utf8)
                return frames
            }, expected: .noReply),
        Case(
            name: "missing signature", channel: .shell,
            frames: { session in
                var frames = signed(
                    session, type: "execute_request", content: #"{"code": "count"}"#)
                frames[1] = []
                return frames
            }, expected: .noReply),
        Case(
            name: "signature over other content", channel: .control,
            frames: { session in
                var frames = signed(session, type: "kernel_info_request", content: "{}")
                frames[5] = Array(#"{"x": 1}"#.utf8)
                return frames
            }, expected: .noReply),
        Case(
            name: "header is not JSON", channel: .shell,
            frames: { _ in signed(header: "{not json", content: "{}") },
            expected: .noReply),
        Case(
            name: "header without msg_type", channel: .shell,
            frames: { _ in signed(header: #"{"msg_id": "m1"}"#, content: "{}") },
            expected: .noReply),
        Case(
            name: "content is not JSON", channel: .shell,
            frames: { session in signed(session, type: "execute_request", content: "{\"code\": ") },
            expected: .errorReply(type: "execute_reply", ename: "InvalidMessage")),
        Case(
            name: "content is an array", channel: .shell,
            frames: { session in signed(session, type: "complete_request", content: "[1, 2]") },
            expected: .errorReply(type: "complete_reply", ename: "InvalidMessage")),
        Case(
            name: "metadata is not JSON", channel: .shell,
            frames: { session in
                let header = session.header(forTypeNamed: "kernel_info_request").json.jsonString()
                return signed(header: header, metadata: "nope", content: "{}")
            }, expected: .errorReply(type: "kernel_info_reply", ename: "InvalidMessage")),
        Case(
            name: "execute without code", channel: .shell,
            frames: { session in
                signed(session, type: "execute_request", content: #"{"silent": false}"#)
            },
            expected: .errorReply(type: "execute_reply", ename: "InvalidMessage")),
        Case(
            name: "field of the wrong type", channel: .shell,
            frames: { session in
                signed(
                    session, type: "execute_request", content: #"{"code": "x", "silent": "yes"}"#)
            },
            expected: .errorReply(type: "execute_reply", ename: "InvalidMessage")),
        Case(
            name: "unknown history access type", channel: .shell,
            frames: { session in
                signed(
                    session, type: "history_request",
                    content: #"{"hist_access_type": "all", "output": false, "raw": true}"#)
            }, expected: .errorReply(type: "history_reply", ename: "InvalidMessage")),
        Case(
            name: "content nested too deep", channel: .shell,
            frames: { session in
                let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
                return signed(
                    session, type: "inspect_request", content: #"{"code": "x", "deep": \#(deep)}"#)
            }, expected: .errorReply(type: "inspect_reply", ename: "InvalidMessage")),
        Case(
            name: "unknown request type", channel: .shell,
            frames: { session in signed(session, type: "teleport_request", content: "{}") },
            expected: .errorReply(type: "teleport_reply", ename: "UnknownMessageType")),
        Case(
            name: "unknown message type without reply", channel: .shell,
            frames: { session in signed(session, type: "gossip", content: "{}") },
            expected: .noReply),
        Case(
            name: "execute on the control channel", channel: .control,
            frames: { session in
                signed(session, type: "execute_request", content: #"{"code": "count"}"#)
            },
            expected: .errorReply(type: "execute_reply", ename: "UnknownMessageType")),
        Case(
            name: "oversize message", channel: .shell,
            frames: { session in
                let code = String(repeating: "x", count: 20_000)
                return signed(session, type: "execute_request", content: #"{"code": "\#(code)"}"#)
            }, expected: .errorReply(type: "execute_reply", ename: "MessageTooLarge")),
        Case(
            name: "invalid UTF-8 in a string", channel: .shell,
            frames: { session in
                var frames = signed(
                    session, type: "is_complete_request", content: "{\"code\": \"a\"}")
                frames[5] = Array("{\"code\": \"a".utf8) + [0xFF, 0xFE] + Array("\"}".utf8)
                frames[1] = signer.hexSignature(of: Array(frames[2...5]))
                return frames
            }, expected: .repairedReply(type: "is_complete_reply")),
        Case(
            name: "input reply nobody asked for", channel: .stdin,
            frames: { session in signed(session, type: "input_reply", content: #"{"value": "x"}"#)
            },
            expected: .noReply),
    ]

    @Test(arguments: cases)
    func kernelSurvivesAndAnswersAfterwards(testCase: Case) throws {
        let kernel = try TestKernel(key: MalformedInputTests.key) {
            $0.maximumMessageBytes = 16 << 10
        }
        let session = MessageSession()
        try kernel.client.sendFrames(testCase.frames(session), on: testCase.channel)
        let replyChannel: Channel = testCase.channel == .stdin ? .shell : testCase.channel
        switch testCase.expected {
        case .noReply:
            // The kernel_info reply below must be the next thing on the channel.
            break
        case .errorReply(let type, let ename):
            let reply = try #require(
                try kernel.client.receive(on: replyChannel, timeout: .seconds(10)))
            #expect(reply.header.messageType == type)
            #expect(reply.content["status"] == "error")
            #expect(reply.content["ename"] == .string(ename))
        case .repairedReply(let type):
            let reply = try #require(
                try kernel.client.receive(on: replyChannel, timeout: .seconds(10)))
            #expect(reply.header.messageType == type)
            #expect(reply.content["status"] != "error")
        }
        let info = try kernel.client.send(.kernelInfoRequest, on: replyChannel)
        let next = try #require(try kernel.client.receive(on: replyChannel, timeout: .seconds(10)))
        #expect(next.parentHeader?.messageId == info.messageId)
        #expect(next.type == .kernelInfoReply)
        if case .repairedReply = testCase.expected { return }
        if testCase.channel != .stdin { #expect(!kernel.logLines.value.isEmpty) }
    }

    @Test func replayedRequestIsNotRunTwice() throws {
        let kernel = try TestKernel()
        let message = Message(
            header: kernel.client.session.header(for: .executeRequest),
            content: ExecuteRequest(code: "count").json)
        let frames = kernel.client.encode(message)
        try kernel.client.sendFrames(frames, on: .shell)
        let first = try kernel.client.reply(to: message.header, timeout: .seconds(10))
        #expect(first.content["status"] == "ok")
        try kernel.client.sendFrames(frames, on: .shell)
        let (_, outputs) = try kernel.execute("count")
        #expect(TestKernel.streamText(outputs) == "2\n")
        #expect(kernel.interpreter.counter == 2)
        #expect(kernel.logLines.value.contains { $0.contains("replayed") })
    }
}
