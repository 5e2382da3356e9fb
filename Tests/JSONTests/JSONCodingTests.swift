import JSON
import Testing

@Suite struct JSONEncodingTests {
    @Test(arguments: [
        (JSONValue.null, "null"),
        (.bool(true), "true"),
        (.bool(false), "false"),
        (.int(0), "0"),
        (.int(-42), "-42"),
        (.int(Int.min), "-9223372036854775808"),
        (.double(0.5), "0.5"),
        (.double(1e-5), "1e-05"),
        (.double(.nan), "null"),
        (.double(.infinity), "null"),
        (.string(""), #""""#),
        (.string("a\"b\\c\n\t\r\u{8}\u{c}\u{1}"), #""a\"b\\c\n\t\r\b\f\u0001""#),
        (.string("héllo 🐱"), "\"héllo 🐱\""),
        (.array([]), "[]"),
        (.array([1, "x", nil]), #"[1,"x",null]"#),
        (.object([:]), "{}"),
        (.object(["k": [true]]), #"{"k":[true]}"#),
    ])
    func compactText(value: JSONValue, expected: String) {
        #expect(value.jsonString() == expected)
    }

    @Test func sortedIndentedLayoutMatchesNbformat() {
        let value: JSONValue = ["b": [1, 2], "a": ["z": nil, "y": [:]], "c": []]
        let expected = """
            {
             "a": {
              "y": {},
              "z": null
             },
             "b": [
              1,
              2
             ],
             "c": []
            }
            """
        #expect(value.jsonString(JSONFormat(sortedKeys: true, indent: 1)) == expected)
    }

    @Test func writeAppendsToTheBuffer() {
        var bytes = Array("prefix:".utf8)
        JSONValue.int(7).writeJSON(into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "prefix:7")
    }
}

@Suite struct JSONParsingTests {
    @Test(arguments: [
        ("null", JSONValue.null),
        (" true ", .bool(true)),
        ("false", .bool(false)),
        ("0", .int(0)),
        ("-17", .int(-17)),
        ("9223372036854775807", .int(Int.max)),
        ("-9223372036854775808", .int(Int.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("2.5", .double(2.5)),
        ("-1e3", .double(-1000)),
        ("1E+2", .double(100)),
        (#""plain""#, .string("plain")),
        (#""a\"\\\/\b\f\n\r\t""#, .string("a\"\\/\u{8}\u{c}\n\r\t")),
        (#""\u00e9\u4e2d""#, .string("é中")),
        (#""\ud83d\udc31""#, .string("🐱")),
        (#""\ud83d x""#, .string("\u{FFFD} x")),
        (#""\udc31""#, .string("\u{FFFD}")),
        ("\"h\u{e9}llo\"", .string("héllo")),
        ("[]", .array([])),
        ("[1, [2, {}], \"x\"]", .array([1, [2, [:]], "x"])),
        ("{}", .object([:])),
        (#"{"a": 1, "b": {"c": null}, "a": 2}"#, .object(["a": 2, "b": ["c": nil]])),
    ])
    func validDocuments(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == expected)
    }

    @Test(arguments: [
        ("", JSONParsingError.Reason.unexpectedEnd, 0),
        ("nul", .unexpectedEnd, 3),
        ("nulx", .unexpectedCharacter, 3),
        ("[1,", .unexpectedEnd, 3),
        ("[1 2]", .unexpectedCharacter, 3),
        ("{\"a\" 1}", .unexpectedCharacter, 5),
        ("{1: 2}", .unexpectedCharacter, 1),
        ("01", .leadingZero, 1),
        ("[01]", .leadingZero, 2),
        ("1.", .invalidNumber, 2),
        ("-", .unexpectedEnd, 1),
        ("1e", .invalidNumber, 2),
        (#""\x""#, .invalidEscape, 2),
        (#""\u12G4""#, .invalidEscape, 5),
        ("\"a\nb\"", .controlCharacterInString, 2),
        ("\"open", .unexpectedEnd, 5),
        ("{} x", .trailingCharacters, 3),
        ("'single'", .unexpectedCharacter, 0),
    ])
    func invalidDocuments(text: String, reason: JSONParsingError.Reason, offset: Int) {
        #expect(throws: JSONParsingError(reason, at: offset)) {
            try JSONValue(parsing: text)
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let depth = JSONValue.maximumParsingDepth + 1
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: JSONParsingError(.tooDeep, at: JSONValue.maximumParsingDepth)) {
            try JSONValue(parsing: text)
        }
        let allowed = JSONValue.maximumParsingDepth
        let fine = String(repeating: "[", count: allowed) + String(repeating: "]", count: allowed)
        #expect((try? JSONValue(parsing: fine)) != nil)
    }

    @Test func invalidUTF8IsReplacedNotRejected() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(try JSONValue(parsing: bytes) == .string("a\u{FFFD}b"))
    }

    @Test func roundTripsThroughTheWriter() throws {
        let value: JSONValue = [
            "header": ["msg_id": "x", "date": "2024-01-01T00:00:00.000000Z"],
            "numbers": [0, -1, 2.25, 1e300, .int(Int.max)],
            "text": "line\nnext \"quoted\" \u{1F} é 🐱",
            "nested": [["a": [nil, true, false]]],
        ]
        #expect(try JSONValue(parsing: value.jsonBytes()) == value)
        let pretty = value.jsonBytes(JSONFormat(sortedKeys: true, indent: 2))
        #expect(try JSONValue(parsing: pretty) == value)
    }

    @Test func parsesFromNonContiguousCollections() throws {
        let bytes = "[1, 2]".utf8.lazy.map { $0 }
        #expect(try JSONValue(parsing: bytes) == [1, 2])
    }
}
