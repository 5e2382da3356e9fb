import KernelInterface
import Testing

@testable import Jupyter

@Suite struct WireCodecTests {
    let session = MessageSession(username: "tester")

    func sample() -> Message {
        Message(
            header: session.header(for: .executeRequest),
            parent: session.header(for: .kernelInfoRequest),
            metadata: ["deletedCells": []], content: ExecuteRequest(code: "print(\"é🐱\")").json,
            buffers: [[0, 1, 2], []])
    }

    @Test func roundTripKeepsIdentitiesPartsAndBuffers() throws {
        let codec = WireCodec(signer: MessageSigner(key: Array("secret".utf8)))
        let message = sample()
        let identities: [[UInt8]] = [Array("router-1".utf8), [0, 0xFF]]
        let frames = codec.encode(message, identities: identities)
        #expect(Array(frames.prefix(2)) == identities)
        #expect(frames[2] == Array("<IDS|MSG>".utf8))
        #expect(frames[3].count == 64)
        let received = try codec.decode(frames)
        #expect(received.identities == identities)
        #expect(received.message == message)
    }

    @Test func headerBytesAreTheHeaderAsJSON() throws {
        var header = session.header(for: .executeRequest)
        header.username = "quote \" backslash \\ newline \n tab \t bell \u{7} cat 🐱"
        #expect(try JSONValue(parsing: header.jsonBytes()) == header.json)
        header.extra = ["subshell_id": "a", "nested": ["x": [1, 2.5, nil, true]]]
        #expect(try JSONValue(parsing: header.jsonBytes()) == header.json)
        // A stored field always wins over an extra one of the same name, in both forms.
        header.extra["msg_id"] = "shadow"
        let parsed = try JSONValue(parsing: header.jsonBytes())
        #expect(parsed == header.json)
        #expect(parsed["msg_id"] == .string(header.messageId))
        #expect(try MessageHeader(json: parsed).extra.keys.sorted() == ["nested", "subshell_id"])
    }

    @Test func signatureCoversTheFourJSONParts() {
        let signer = MessageSigner(key: Array("secret".utf8))
        let frames = WireCodec(signer: signer).encode(sample())
        #expect(frames[1] == signer.hexSignature(of: Array(frames[2...5])))
    }

    @Test func replayedSignatureIsRejected() throws {
        let codec = WireCodec(signer: MessageSigner(key: Array("secret".utf8)))
        let frames = codec.encode(sample())
        _ = try codec.decode(frames)
        #expect(throws: Never.self) { try codec.decode(codec.encode(sample())) }
        let failure = #expect(throws: WireDecodingFailure.self) { try codec.decode(frames) }
        #expect(failure?.error == .replayedSignature)
    }

    @Test func historyForgetsTheOldestBeyondItsCapacity() {
        let history = SignatureHistory(capacity: 2)
        #expect(history.insert([1]))
        #expect(history.insert([2]))
        #expect(!history.insert([1]))
        #expect(history.insert([3]))
        #expect(history.insert([1]))  // forgotten, so accepted again
        #expect(!history.insert([3]))
    }

    /// Signatures as the signer makes them (64 hexadecimal digits), distinct for distinct `n`.
    private static func signature(_ n: Int) -> [UInt8] {
        MessageSigner(key: Array("secret".utf8)).hexSignature(of: [Array("\(n)".utf8)])
    }

    @Test func historyRemembersEverySignatureUpToItsCapacity() {
        let history = SignatureHistory(capacity: 1_000)
        let signatures = (0..<1_001).map(Self.signature)
        #expect(signatures[..<1_000].allSatisfy { history.insert($0) })
        #expect(signatures[..<1_000].allSatisfy { !history.insert($0) })
        #expect(history.insert(signatures[1_000]))
        #expect(history.insert(signatures[0]))  // the oldest, forgotten
        #expect(!history.insert(signatures[2]))
        #expect(!history.insert(signatures[1_000]))
    }

    /// A full history of jupyter_client's size keeps its signatures inline, 16 bytes each in
    /// a set and a ring: about 3 MiB, where an array per signature took 9 MiB in 65,536 heap
    /// blocks.
    @Test func fullHistoryTakesAFewMegabytesInTwoBlocks() {
        let history = SignatureHistory()
        for n in 0..<history.capacity { #expect(history.insert(Self.signature(n))) }
        #expect(history.storageBytes < 4 << 20)
    }

    @Test func tamperedMessageIsRejectedBeforeParsing() throws {
        let codec = WireCodec(signer: MessageSigner(key: Array("secret".utf8)))
        var frames = codec.encode(sample())
        frames[5] = Array("not json at all".utf8)
        let failure = #expect(throws: WireDecodingFailure.self) { try codec.decode(frames) }
        #expect(failure?.error == .invalidSignature)
        #expect(failure?.header == nil)
    }

    @Test func messagesSignedWithAnotherKeyAreRejected() {
        let other = WireCodec(signer: MessageSigner(key: Array("other".utf8)))
        let codec = WireCodec(signer: MessageSigner(key: Array("secret".utf8)))
        let failure = #expect(throws: WireDecodingFailure.self) {
            try codec.decode(other.encode(sample()))
        }
        #expect(failure?.error == .invalidSignature)
    }

    @Test func unsignedCodecAcceptsAnySignature() throws {
        let codec = WireCodec(signer: MessageSigner(key: []))
        let message = sample()
        var frames = codec.encode(message)
        #expect(frames[1].isEmpty)
        frames[1] = Array("whatever".utf8)
        #expect(try codec.decode(frames).message == message)
        #expect(try codec.decode(frames).message == message)  // no replay check without a key
    }

    @Test func framesWithoutDelimiterOrWithTooFewPartsAreMalformed() {
        let codec = WireCodec(signer: MessageSigner(key: []))
        let noDelimiter = #expect(throws: WireDecodingFailure.self) {
            try codec.decode([[1], [2], [3]])
        }
        #expect(
            noDelimiter?.error == .malformedFrames(reason: "no <IDS|MSG> delimiter among 3 frames"))
        let short = #expect(throws: WireDecodingFailure.self) {
            try codec.decode([Array("id".utf8), Array("<IDS|MSG>".utf8), [], Array("{}".utf8)])
        }
        #expect(short?.identities == [Array("id".utf8)])
    }

    @Test func oversizeMessageIsRejectedWithItsHeaderKnown() {
        let codec = WireCodec(signer: MessageSigner(key: Array("k".utf8)), maximumMessageBytes: 512)
        var message = sample()
        message.content = ExecuteRequest(code: String(repeating: "x", count: 1000)).json
        let failure = #expect(throws: WireDecodingFailure.self) {
            try codec.decode(codec.encode(message))
        }
        guard case .oversizeMessage(_, let limit) = failure?.error else {
            Issue.record("expected oversize, got \(String(describing: failure?.error))")
            return
        }
        #expect(limit == 512)
        #expect(failure?.header == message.header)
    }

    @Test func invalidContentJSONIsReportedWithTheHeader() throws {
        let signer = MessageSigner(key: Array("k".utf8))
        let codec = WireCodec(signer: signer)
        let header = session.header(for: .executeRequest).json.jsonBytes()
        let parts = [header, Array("{}".utf8), Array("{}".utf8), Array("{\"code\": ".utf8)]
        let frames = [Array("<IDS|MSG>".utf8), signer.hexSignature(of: parts)] + parts
        let failure = #expect(throws: WireDecodingFailure.self) { try codec.decode(frames) }
        #expect(failure?.header?.messageType == "execute_request")
        guard case .invalidJSON(let part, _) = failure?.error else {
            Issue.record("expected invalid JSON, got \(String(describing: failure?.error))")
            return
        }
        #expect(part == "content")
    }

    @Test func headerWithoutMessageTypeIsRejected() {
        let codec = WireCodec(signer: MessageSigner(key: []))
        let parts = [
            Array(#"{"msg_id": "1"}"#.utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8),
        ]
        let failure = #expect(throws: WireDecodingFailure.self) {
            try codec.decode([Array("<IDS|MSG>".utf8), []] + parts)
        }
        #expect(failure?.header == nil)
        #expect(
            failure?.error
                == .invalidContent(messageType: "header", field: "msg_type", expected: "a string"))
    }
}
