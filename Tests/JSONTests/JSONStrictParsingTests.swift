import JSON
import Testing

/// The strict reading safetensors asks for, and the parser's linear time on escape-heavy input.
@Suite struct JSONStrictParsingTests {
    @Test func aRepeatedKeyIsAnErrorNamingItWhenStrict() throws {
        let text = #"{"w": 1, "v": {"w": 2}, "w": 3}"#
        #expect(try JSONValue(parsing: text)["w"] == 3)
        #expect(throws: JSONParsingError(.duplicateKey, at: 24, key: "w")) {
            try JSONValue(parsing: text, options: .strict)
        }
        let error = JSONParsingError(.duplicateKey, at: 24, key: "w")
        #expect(error.description == #"invalid JSON: duplicate key "w" at byte 24"#)
    }

    @Test(arguments: [#""\ud800""#, #""\udc00""#, #""\ud800\u0041""#])
    func aLoneSurrogateIsReplacedOrRefused(text: String) throws {
        #expect(try JSONValue(parsing: text).stringValue?.unicodeScalars.first == "\u{FFFD}")
        #expect(throws: JSONParsingError(.loneSurrogate, at: 1)) {
            try JSONValue(parsing: text, options: .strict)
        }
    }

    @Test func aPairedSurrogateIsOneScalarEitherWay() throws {
        #expect(try JSONValue(parsing: #""\ud83d\udc31""#, options: .strict) == "🐱")
    }

    @Test func strictNestingStopsAtItsDepth() {
        let text = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParsingError(.tooDeep, at: 64)) {
            try JSONValue(parsing: text, options: .strict)
        }
        #expect((try? JSONValue(parsing: text)) != nil)
    }

    /// A million escaped quotes in one string: a parser that copies the decoded prefix at each
    /// escape does 10^12 byte copies here (minutes even in release); a linear one reads 2 MB.
    @Test func escapeHeavyStringsParseInLinearTime() throws {
        let count = 1_000_000
        let text = "\"" + String(repeating: #"\""#, count: count) + "\""
        let value = try JSONValue(parsing: text, options: .strict)
        #expect(value.stringValue?.utf8.count == count)
        #expect(value.stringValue?.utf8.allSatisfy { $0 == UInt8(ascii: "\"") } == true)
    }

    @Test func writeStringEscapesWhatJSONRequires() {
        var bytes: [UInt8] = []
        JSONValue.writeString("a\"b\\c\n\u{01}é", into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\"b\\c\n\u0001é""#)
    }
}
