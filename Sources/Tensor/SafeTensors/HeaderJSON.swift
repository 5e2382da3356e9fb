// The JSON of a safetensors header (RFC 8259), read strictly and written as the reference
// implementation (serde_json) writes it: compact, keys in the order given, the same escapes.
//
// A small parser of its own rather than JSONSerialization, because the format needs what that
// one hides: duplicate keys rejected, key order kept, integers beyond 2^53 read exactly.

/// A JSON value as read from a header; objects keep their key order.
indirect enum HeaderJSON: Equatable {
    case object([(key: String, value: HeaderJSON)])
    case array([HeaderJSON])
    case string(String)
    /// A number as written (digits, sign, fraction, exponent), converted by whoever needs it.
    case number(String)
    case bool(Bool)
    case null

    static func == (lhs: HeaderJSON, rhs: HeaderJSON) -> Bool {
        switch (lhs, rhs) {
        case (.object(let left), .object(let right)):
            return left.map(\.key) == right.map(\.key) && left.map(\.value) == right.map(\.value)
        case (.array(let left), .array(let right)): return left == right
        case (.string(let left), .string(let right)): return left == right
        case (.number(let left), .number(let right)): return left == right
        case (.bool(let left), .bool(let right)): return left == right
        case (.null, .null): return true
        default: return false
        }
    }

    /// The value as a non-negative integer, if it is one written without sign, fraction or
    /// exponent and fits an Int.
    var nonNegativeInteger: Int? {
        guard case .number(let text) = self, !text.isEmpty,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }

    /// A short name of the value's kind, for error messages.
    var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number(let text): return "the number \(text)"
        case .bool(let value): return "\(value)"
        case .null: return "null"
        }
    }
}

// MARK: - Reading

/// Parses JSON from UTF-8 bytes; errors are plain messages with a byte offset.
struct HeaderJSONParser {
    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0
    /// Deeper nesting than any header needs is refused rather than recursed into.
    private static let maximumDepth = 64

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The one value in `bytes`, with only whitespace after it.
    static func parse(_ bytes: [UInt8]) -> Result<HeaderJSON, ParseError> {
        var parser = HeaderJSONParser(bytes)
        do throws(ParseError) {
            parser.skipWhitespace()
            let value = try parser.value()
            parser.skipWhitespace()
            guard parser.position == bytes.count else {
                throw parser.error("unexpected text after the JSON value")
            }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    /// What is wrong and where.
    struct ParseError: Error {
        let message: String
    }

    private func error(_ message: String) -> ParseError {
        ParseError(message: "\(message) at byte \(position) of the header")
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[position]) {
            position += 1
        }
    }

    private mutating func value() throws(ParseError) -> HeaderJSON {
        guard position < bytes.count else { throw error("the JSON ends early") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[position])))'")
        }
    }

    private mutating func literal(_ word: String, _ result: HeaderJSON) throws(ParseError)
        -> HeaderJSON
    {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count,
            Array(bytes[position..<(position + expected.count)]) == expected
        else { throw error("invalid literal") }
        position += expected.count
        return result
    }

    private mutating func enter() throws(ParseError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw error("the JSON nests too deeply") }
    }

    private mutating func object() throws(ParseError) -> HeaderJSON {
        try enter()
        defer { depth -= 1 }
        position += 1
        var members: [(key: String, value: HeaderJSON)] = []
        var keys = Set<String>()
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a key string")
            }
            let key = try string()
            guard keys.insert(key).inserted else { throw error("duplicate key \"\(key)\"") }
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            members.append((key, try value()))
            skipWhitespace()
            if try endOfList(closing: UInt8(ascii: "}")) { return .object(members) }
        }
    }

    private mutating func array() throws(ParseError) -> HeaderJSON {
        try enter()
        defer { depth -= 1 }
        position += 1
        var elements: [HeaderJSON] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value())
            skipWhitespace()
            if try endOfList(closing: UInt8(ascii: "]")) { return .array(elements) }
        }
    }

    /// After an element: consumes `,` (false: more follow) or the closing bracket (true).
    private mutating func endOfList(closing: UInt8) throws(ParseError) -> Bool {
        guard position < bytes.count else { throw error("the JSON ends early") }
        if bytes[position] == UInt8(ascii: ",") {
            position += 1
            return false
        }
        try expect(closing)
        return true
    }

    private mutating func expect(_ byte: UInt8) throws(ParseError) {
        guard position < bytes.count, bytes[position] == byte else {
            throw error("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        position += 1
    }

    private mutating func number() throws(ParseError) -> HeaderJSON {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        let integerDigits = skipDigits()
        guard integerDigits > 0 else { throw error("invalid number") }
        guard integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else {
            throw error("a number has a leading zero")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() > 0 else { throw error("invalid number") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count,
                [UInt8(ascii: "+"), UInt8(ascii: "-")].contains(bytes[position])
            {
                position += 1
            }
            guard skipDigits() > 0 else { throw error("invalid number") }
        }
        return .number(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    private mutating func skipDigits() -> Int {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"),
            bytes[position] <= UInt8(ascii: "9")
        {
            position += 1
        }
        return position - start
    }

    private mutating func string() throws(ParseError) -> String {
        position += 1  // the opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = position
        while true {
            guard position < bytes.count else { throw error("a string is not closed") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                scalars.append(
                    contentsOf: String(decoding: bytes[runStart..<position], as: UTF8.self)
                        .unicodeScalars)
                position += 1
                if byte == UInt8(ascii: "\"") { return String(scalars) }
                scalars.append(try escape())
                runStart = position
            } else if byte < 0x20 {
                throw error("a control character must be escaped in a string")
            } else {
                position += 1
            }
        }
    }

    private mutating func escape() throws(ParseError) -> Unicode.Scalar {
        guard position < bytes.count else { throw error("a string is not closed") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hexQuad()
            if (0xD800..<0xDC00).contains(first) {
                guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw error("an unpaired surrogate escape") }
                position += 2
                let second = try hexQuad()
                guard (0xDC00..<0xE000).contains(second) else {
                    throw error("an unpaired surrogate escape")
                }
                let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                guard let scalar = Unicode.Scalar(combined) else { throw error("a bad escape") }
                return scalar
            }
            guard let scalar = Unicode.Scalar(first) else {
                throw error("an unpaired surrogate escape")
            }
            return scalar
        default:
            throw error("an unknown escape")
        }
    }

    private mutating func hexQuad() throws(ParseError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw error("a short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexDigit(bytes[position]) else { throw error("a bad \\u escape") }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}

// MARK: - Writing

extension HeaderJSON {
    /// Compact JSON, keys in order, strings escaped as serde_json escapes them (`\"`, `\\`,
    /// `\b \f \n \r \t`, other control characters as `\u00xx`; everything else as UTF-8).
    var encoded: String {
        switch self {
        case .object(let members):
            return "{"
                + members.map { "\(Self.quoted($0.key)):\($0.value.encoded)" }
                .joined(separator: ",") + "}"
        case .array(let elements):
            return "[" + elements.map(\.encoded).joined(separator: ",") + "]"
        case .string(let text): return Self.quoted(text)
        case .number(let text): return text
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        }
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
