/// Why a byte sequence is not a JSON document, with the byte offset where reading stopped.
public struct JSONParsingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: String, Sendable {
        /// The text ended inside a value.
        case unexpectedEnd = "unexpected end of input"
        /// A byte that cannot start or continue a value here.
        case unexpectedCharacter = "unexpected character"
        /// A malformed number, such as `01`, `1.` or `-`.
        case invalidNumber = "invalid number"
        /// A malformed escape sequence inside a string.
        case invalidEscape = "invalid escape sequence"
        /// A raw control character inside a string (it must be escaped).
        case controlCharacterInString = "unescaped control character in string"
        /// A number with a superfluous leading zero, such as `01`.
        case leadingZero = "a number has a leading zero"
        /// Arrays and objects nested deeper than the parser allows.
        case tooDeep = "the JSON nests too deeply"
        /// Something other than white space follows the document.
        case trailingCharacters = "unexpected text after the JSON value"
        /// An object repeats a key (only with `JSONParsingOptions.rejectsDuplicateKeys`).
        case duplicateKey = "duplicate key"
        /// A `\u` escape of half a surrogate pair (only with
        /// `JSONParsingOptions.rejectsLoneSurrogates`).
        case loneSurrogate = "an unpaired surrogate escape"
    }

    /// What went wrong.
    public var reason: Reason
    /// Byte offset into the input.
    public var offset: Int
    /// The repeated key, for `.duplicateKey`.
    public var key: String?

    /// Creates an error.
    public init(_ reason: Reason, at offset: Int, key: String? = nil) {
        self.reason = reason
        self.offset = offset
        self.key = key
    }

    /// The reason in words, with the key it concerns: `duplicate key "w"`.
    public var summary: String {
        guard let key else { return reason.rawValue }
        var quoted: [UInt8] = []
        JSONValue.writeString(key, into: &quoted)
        return "\(reason.rawValue) \(String(decoding: quoted, as: UTF8.self))"
    }

    /// "invalid JSON: <reason> at byte <offset>".
    public var description: String { "invalid JSON: \(summary) at byte \(offset)" }
}

/// How strictly a document is read. The defaults suit the Jupyter wire (a repeated key keeps
/// its last value and a lone surrogate escape becomes U+FFFD, as Python's `json` reads them);
/// `strict` suits formats whose reference reader refuses both (safetensors, read by serde_json).
///
/// ```swift
/// let header = try JSONValue(parsing: bytes, options: .strict)
/// ```
public struct JSONParsingOptions: Sendable, Equatable {
    /// The deepest nesting of arrays and objects accepted; deeper input is an error rather than
    /// a stack overflow.
    public var maximumDepth: Int
    /// Whether an object that repeats a key is an error.
    public var rejectsDuplicateKeys: Bool
    /// Whether a `\u` escape of half a surrogate pair is an error (else it reads as U+FFFD).
    public var rejectsLoneSurrogates: Bool

    /// Creates options.
    ///
    /// - Parameters:
    ///   - maximumDepth: the deepest nesting accepted.
    ///   - rejectsDuplicateKeys: whether a repeated key is an error.
    ///   - rejectsLoneSurrogates: whether half a surrogate pair is an error.
    public init(
        maximumDepth: Int = JSONValue.maximumParsingDepth, rejectsDuplicateKeys: Bool = false,
        rejectsLoneSurrogates: Bool = false
    ) {
        self.maximumDepth = maximumDepth
        self.rejectsDuplicateKeys = rejectsDuplicateKeys
        self.rejectsLoneSurrogates = rejectsLoneSurrogates
    }

    /// The wire's lenient reading.
    public static let lenient = JSONParsingOptions()
    /// Duplicate keys and lone surrogates refused, nesting at most 64 deep.
    public static let strict = JSONParsingOptions(
        maximumDepth: 64, rejectsDuplicateKeys: true, rejectsLoneSurrogates: true)
}

extension JSONValue {
    /// The deepest nesting of arrays and objects the parser accepts; deeper input is an error
    /// rather than a stack overflow.
    public static let maximumParsingDepth = 512

    /// Parses one JSON document (RFC 8259) from UTF-8 bytes.
    ///
    /// Integers that fit in `Int` become `.int`; other numbers become `.double`. Invalid UTF-8
    /// and lone surrogate escapes are replaced with U+FFFD. A repeated object key keeps its last
    /// value.
    ///
    /// ```swift
    /// let value = try JSONValue(parsing: Array(#"{"a": [1, 2.5, "x"]}"#.utf8))
    /// value["a"]?.arrayValue?.count  // 3
    /// ```
    ///
    /// - Parameters:
    ///   - bytes: the document's UTF-8 bytes.
    ///   - options: how strictly to read (lenient by default).
    /// - Throws: `JSONParsingError` describing the first problem.
    public init(parsing bytes: some Collection<UInt8>, options: JSONParsingOptions = .lenient)
        throws(JSONParsingError)
    {
        let parsed: Result<JSONValue, JSONParsingError>? = bytes.withContiguousStorageIfAvailable {
            buffer in
            var parser = JSONParser(buffer, options: options)
            return Result { () throws(JSONParsingError) in try parser.parseDocument() }
        }
        if let parsed {
            self = try parsed.get()
        } else {
            let copy = Array(bytes)
            var result: Result<JSONValue, JSONParsingError> = .failure(
                JSONParsingError(.unexpectedEnd, at: 0))
            copy.withUnsafeBufferPointer { buffer in
                var parser = JSONParser(buffer, options: options)
                result = Result { () throws(JSONParsingError) in try parser.parseDocument() }
            }
            self = try result.get()
        }
    }

    /// Parses one JSON document from a string.
    ///
    /// - Parameters:
    ///   - text: the document.
    ///   - options: how strictly to read (lenient by default).
    /// - Throws: `JSONParsingError` describing the first problem.
    public init(parsing text: String, options: JSONParsingOptions = .lenient)
        throws(JSONParsingError)
    {
        try self.init(parsing: Array(text.utf8), options: options)
    }
}

/// A recursive-descent reader over a byte buffer; every loop consumes at least one byte.
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let options: JSONParsingOptions
    var position = 0
    var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, options: JSONParsingOptions) {
        self.bytes = bytes
        self.options = options
    }

    mutating func parseDocument() throws(JSONParsingError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw error(.trailingCharacters) }
        return value
    }

    private func error(_ reason: JSONParsingError.Reason) -> JSONParsingError {
        JSONParsingError(reason, at: position)
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current,
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
        {
            position += 1
        }
    }

    private mutating func parseValue() throws(JSONParsingError) -> JSONValue {
        skipWhitespace()
        guard let byte = current else { throw error(.unexpectedEnd) }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral(JSONLiteral.true, .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral(JSONLiteral.false, .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral(JSONLiteral.null, .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error(.unexpectedCharacter)
        }
    }

    private mutating func parseLiteral(_ literal: [UInt8], _ value: JSONValue)
        throws(JSONParsingError) -> JSONValue
    {
        for expected in literal {
            guard let byte = current else { throw error(.unexpectedEnd) }
            guard byte == expected else { throw error(.unexpectedCharacter) }
            position += 1
        }
        return value
    }

    private mutating func enterContainer() throws(JSONParsingError) {
        depth += 1
        guard depth <= options.maximumDepth else { throw error(.tooDeep) }
        position += 1
    }

    private mutating func parseArray() throws(JSONParsingError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard let byte = current else { throw error(.unexpectedEnd) }
            position += 1
            if byte == UInt8(ascii: "]") { return .array(elements) }
            guard byte == UInt8(ascii: ",") else {
                position -= 1
                throw error(.unexpectedCharacter)
            }
        }
    }

    private mutating func parseObject() throws(JSONParsingError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard let quote = current else { throw error(.unexpectedEnd) }
            guard quote == UInt8(ascii: "\"") else { throw error(.unexpectedCharacter) }
            let keyOffset = position
            let key = try parseString()
            if options.rejectsDuplicateKeys, members[key] != nil {
                throw JSONParsingError(.duplicateKey, at: keyOffset, key: key)
            }
            skipWhitespace()
            guard let colon = current else { throw error(.unexpectedEnd) }
            guard colon == UInt8(ascii: ":") else { throw error(.unexpectedCharacter) }
            position += 1
            members[key] = try parseValue()
            skipWhitespace()
            guard let byte = current else { throw error(.unexpectedEnd) }
            position += 1
            if byte == UInt8(ascii: "}") { return .object(members) }
            guard byte == UInt8(ascii: ",") else {
                position -= 1
                throw error(.unexpectedCharacter)
            }
        }
    }

    /// Reads a string starting at its opening quote; a string without escapes is decoded from
    /// the buffer in one step.
    private mutating func parseString() throws(JSONParsingError) -> String {
        position += 1
        let start = position
        while let byte = current {
            if byte == UInt8(ascii: "\"") {
                let text = String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw error(.controlCharacterInString) }
            position += 1
        }
        guard current != nil else { throw error(.unexpectedEnd) }
        var decoded = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &decoded)
            default:
                guard byte >= 0x20 else { throw error(.controlCharacterInString) }
                decoded.append(byte)
                position += 1
            }
        }
        throw error(.unexpectedEnd)
    }

    private mutating func parseEscape(into decoded: inout [UInt8]) throws(JSONParsingError) {
        position += 1
        guard let byte = current else { throw error(.unexpectedEnd) }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(UInt8(ascii: "\n"))
        case UInt8(ascii: "r"): decoded.append(UInt8(ascii: "\r"))
        case UInt8(ascii: "t"): decoded.append(UInt8(ascii: "\t"))
        case UInt8(ascii: "u"):
            let scalar = try parseUnicodeEscape()
            decoded.append(contentsOf: String(Character(scalar)).utf8)
        default:
            position -= 1
            throw error(.invalidEscape)
        }
    }

    /// Reads the hex digits after `\u`, joining a surrogate pair when one follows.
    private mutating func parseUnicodeEscape() throws(JSONParsingError) -> Unicode.Scalar {
        let start = position - 2
        let first = try parseHex4()
        let replacement: Unicode.Scalar = "\u{FFFD}"
        switch first {
        case 0xD800...0xDBFF:
            let save = position
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { return try lone(replacement, at: start) }
            position += 2
            let second = try parseHex4()
            guard (0xDC00...0xDFFF).contains(second) else {
                position = save
                return try lone(replacement, at: start)
            }
            let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            return Unicode.Scalar(value) ?? replacement
        case 0xDC00...0xDFFF:
            return try lone(replacement, at: start)
        default:
            return Unicode.Scalar(first) ?? replacement
        }
    }

    /// Half a surrogate pair: the replacement character, or an error when the options say so.
    private func lone(_ replacement: Unicode.Scalar, at offset: Int) throws(JSONParsingError)
        -> Unicode.Scalar
    {
        if options.rejectsLoneSurrogates { throw JSONParsingError(.loneSurrogate, at: offset) }
        return replacement
    }

    private mutating func parseHex4() throws(JSONParsingError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw error(.unexpectedEnd) }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.invalidEscape)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONParsingError) -> JSONValue {
        let start = position
        var isIntegral = true
        if current == UInt8(ascii: "-") { position += 1 }
        guard let leading = current else { throw error(.unexpectedEnd) }
        guard isDigit(leading) else { throw error(.invalidNumber) }
        position += 1
        if leading != UInt8(ascii: "0") {
            skipDigits()
        } else if let next = current, isDigit(next) {
            throw error(.leadingZero)
        }
        if current == UInt8(ascii: ".") {
            isIntegral = false
            position += 1
            guard let digit = current, isDigit(digit) else { throw error(.invalidNumber) }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isIntegral = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let digit = current, isDigit(digit) else { throw error(.invalidNumber) }
            skipDigits()
        }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if isIntegral, let integer = integerValue(text) { return .int(integer) }
        guard let double = Double(String(decoding: text, as: UTF8.self)) else {
            throw JSONParsingError(.invalidNumber, at: start)
        }
        return .double(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while let byte = current, isDigit(byte) { position += 1 }
    }

    /// The value of an optionally signed run of digits, or nil when it does not fit in `Int`.
    private func integerValue(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        var negative = false
        var value = 0
        for byte in text {
            if byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            let digit = Int(byte - UInt8(ascii: "0"))
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative
                ? times10.subtractingReportingOverflow(digit)
                : times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = next
        }
        return value
    }
}
