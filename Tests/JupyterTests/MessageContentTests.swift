import KernelInterface
import Testing

@testable import Jupyter

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct MessageContentTests {
    func roundTrip<Content: MessageContent & Equatable>(_ content: Content) throws {
        #expect(try Content(json: content.json) == content)
    }

    @Test func everyContentRoundTrips() throws {
        let error = ExecutionError(
            name: "ShapeError", value: "[2, 3] vs [4]", traceback: ["line 1", "line 2"])
        try roundTrip(
            ExecuteRequest(
                code: "x", silent: false, userExpressions: ["a": "b"], allowStdin: true,
                stopOnError: false))
        try roundTrip(
            ExecuteReply(
                executionCount: 4,
                status: .ok(payload: [["source": "page"]], userExpressions: ["a": 1])))
        try roundTrip(ExecuteReply(executionCount: 5, status: .error(error)))
        try roundTrip(ExecuteInput(code: "y", executionCount: 2))
        try roundTrip(
            DisplayContent(
                bundle: MimeBundle(
                    data: ["text/plain": "p", "image/png": "AAAA"],
                    metadata: ["image/png": ["width": 3]]), displayId: "d"))
        try roundTrip(DisplayContent(bundle: MimeBundle(plainText: "r"), executionCount: 7))
        try roundTrip(StreamContent(name: .stderr, text: "warn\n"))
        try roundTrip(ClearOutputContent(wait: true))
        try roundTrip(StatusContent(.starting))
        try roundTrip(ErrorContent(error))
        try roundTrip(ErrorReply(error))
        try roundTrip(CodeAtCursor(code: "🐱ab", cursorPosition: 2, detailLevel: 1))
        try roundTrip(
            CompleteReply(
                CompletionResult(
                    matches: [
                        CompletionMatch(text: "print", kind: "function", signature: "print(_:)")
                    ], cursorStart: 0,
                    cursorEnd: 3)))
        try roundTrip(InspectReply(MimeBundle(plainText: "doc")))
        try roundTrip(InspectReply(nil))
        try roundTrip(IsCompleteRequest(code: "{"))
        for verdict in [Completeness.complete, .incomplete(indent: "    "), .invalid, .unknown] {
            try roundTrip(IsCompleteReply(verdict))
        }
        try roundTrip(HistoryRequest(access: .tail(count: 3), includeOutput: true))
        try roundTrip(HistoryRequest(access: .range(session: -1, start: 2, stop: nil)))
        try roundTrip(HistoryRequest(access: .search(pattern: "a*", count: 2, unique: true)))
        try roundTrip(
            HistoryReply(
                entries: [HistoryEntry(session: 1, line: 2, input: "x", output: "y")],
                includeOutput: true))
        try roundTrip(
            HistoryReply(
                entries: [HistoryEntry(session: 1, line: 2, input: "x")], includeOutput: false))
        try roundTrip(ShutdownContent(restart: true))
        try roundTrip(InputRequest(prompt: "name: ", password: true))
        try roundTrip(InputReply(value: "Ada"))
        try roundTrip(IOPubWelcome(subscription: ""))
        try roundTrip(CommContent(commId: "c", targetName: "t"))
        let info = InterpreterInfo(
            implementation: "i", implementationVersion: "1",
            languageInfo: LanguageInfo(
                name: "swift", version: "6", mimetype: "text/x-swift", fileExtension: ".swift",
                pygmentsLexer: "swift",
                codemirrorMode: "swift"), banner: "b", helpLinks: [HelpLink(text: "t", url: "u")])
        let infoReply = KernelInfoReply(info: info)
        let decoded = try KernelInfoReply(json: infoReply.json)
        #expect(decoded.info == info)
        #expect(decoded.receivedLanguageInfo == infoReply.json["language_info"])
    }

    @Test func executeRequestDefaultsFollowTheProtocol() throws {
        let minimal = try ExecuteRequest(json: ["code": "x"])
        #expect(
            minimal
                == ExecuteRequest(
                    code: "x", silent: false, storeHistory: true, allowStdin: true,
                    stopOnError: true))
        let silent = try ExecuteRequest(json: ["code": "x", "silent": true, "store_history": true])
        #expect(!silent.storeHistory)
    }

    @Test func negativeHistoryCountsReadAsZero() throws {
        let search = try HistoryRequest(json: [
            "hist_access_type": "search", "pattern": "*", "n": -5,
        ])
        #expect(search.access == .search(pattern: "*", count: 0, unique: false))
        let tail = try HistoryRequest(json: ["hist_access_type": "tail", "n": -1])
        #expect(tail.access == .tail(count: 0))
        let store = HistoryStore(path: nil, log: { _ in })
        store.add(line: 1, input: "x", output: nil)
        #expect(store.entries(for: .tail(count: -3)).isEmpty)
        #expect(store.entries(for: .search(pattern: "*", count: -3, unique: false)).isEmpty)
    }

    @Test func cursorIsClampedIntoTheCode() throws {
        #expect(try CodeAtCursor(json: ["code": "ab", "cursor_pos": 10]).cursorPosition == 2)
        #expect(try CodeAtCursor(json: ["code": "ab", "cursor_pos": -3]).cursorPosition == 0)
        #expect(try CodeAtCursor(json: ["code": "🐱🐱"]).cursorPosition == 2)
    }

    @Test func decodingErrorsNameTheMessageTypeAndField() {
        let message = Message(
            header: MessageSession().header(for: .executeRequest), content: ["code": 3])
        #expect(
            throws: JupyterError.invalidContent(
                messageType: "execute_request", field: "code", expected: "a string")
        ) {
            try message.decode(ExecuteRequest.self)
        }
    }

    @Test func kernelInfoReplyCarriesWhatFrontEndsNeed() {
        let json = KernelInfoReply(info: TestInterpreter().info).json
        #expect(json["status"] == "ok")
        #expect(json["protocol_version"] == "5.4")
        #expect(json["language_info"]?["codemirror_mode"] == "null")
        #expect(json["help_links"] == [["text": "Test", "url": "https://example.com"]])
    }

    @Test func headersKeepUnknownFieldsForTheParentHeader() throws {
        let json: JSONValue = [
            "msg_id": "1", "msg_type": "execute_request", "session": "s", "username": "u",
            "date": "d", "version": "5.4",
            "subshell_id": "sub",
        ]
        let header = try MessageHeader(json: json)
        #expect(header.extra == ["subshell_id": "sub"])
        #expect(header.json == json)
    }

    @Test func timestampsAreISO8601WithMicroseconds() {
        let stamp = Timestamp.now()
        #expect(stamp.count == 27)
        #expect(stamp.hasSuffix("Z"))
        #expect(stamp.dropFirst(10).first == "T")
    }

    @Test func timestampsPadEveryField() {
        var parts = tm()
        parts.tm_year = 2024 - 1900
        parts.tm_mon = 4
        parts.tm_mday = 1
        parts.tm_hour = 2
        parts.tm_min = 3
        parts.tm_sec = 4
        #expect(Timestamp.format(parts, microseconds: 789) == "2024-05-01T02:03:04.000789Z")
        parts.tm_year = 12345 - 1900
        parts.tm_mon = 11
        parts.tm_mday = 31
        parts.tm_hour = 23
        parts.tm_min = 59
        parts.tm_sec = 60
        #expect(Timestamp.format(parts, microseconds: 999_999) == "12345-12-31T23:59:60.999999Z")
    }

    @Test func messageIdsAreUnique() {
        let session = MessageSession()
        let ids = Set((0..<1000).map { _ in session.header(for: .status).messageId })
        #expect(ids.count == 1000)
        #expect(MessageSession().id != session.id)
    }
}
