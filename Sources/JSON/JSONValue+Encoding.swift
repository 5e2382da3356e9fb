/// Writing a `JSONValue` as JSON text (RFC 8259), without Foundation.
///
/// The writer appends UTF-8 bytes to a caller-owned buffer so that a hot path (one Jupyter
/// message part) allocates at most the buffer it fills. Non-finite doubles, which JSON cannot
/// represent, are written as `null`.
///
/// ```swift
/// let value: JSONValue = ["status": "ok", "execution_count": 3]
/// value.jsonString()  // {"status":"ok","execution_count":3} (member order unspecified)
/// value.jsonString(JSONFormat(sortedKeys: true, indent: 1))  // nbformat's layout
/// ```
public struct JSONFormat: Sendable, Equatable {
    /// Whether object members are written in ascending order of their keys' UTF-8 bytes.
    public var sortedKeys: Bool
    /// Spaces per nesting level; 0 writes everything on one line without spaces.
    public var indent: Int

    /// Creates a format.
    ///
    /// - Parameters:
    ///   - sortedKeys: write object members sorted by key (stable output, diffable files).
    ///   - indent: spaces per level for pretty printing; 0 for compact output.
    public init(sortedKeys: Bool = false, indent: Int = 0) {
        self.sortedKeys = sortedKeys
        self.indent = max(0, indent)
    }

    /// Compact output in dictionary order: the fastest, used on the wire.
    public static let compact = JSONFormat()
}

extension JSONValue {
    /// The JSON text of this value as UTF-8 bytes.
    ///
    /// - Parameter format: layout options; compact by default.
    public func jsonBytes(_ format: JSONFormat = .compact) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        writeJSON(into: &bytes, format: format)
        return bytes
    }

    /// The JSON text of this value.
    ///
    /// - Parameter format: layout options; compact by default.
    public func jsonString(_ format: JSONFormat = .compact) -> String {
        String(decoding: jsonBytes(format), as: UTF8.self)
    }

    /// Appends the JSON text of this value to `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: the buffer to append to.
    ///   - format: layout options.
    public func writeJSON(into bytes: inout [UInt8], format: JSONFormat = .compact) {
        write(into: &bytes, format: format, depth: 0)
    }

    private func write(into bytes: inout [UInt8], format: JSONFormat, depth: Int) {
        switch self {
        case .null: bytes.append(contentsOf: JSONLiteral.null)
        case .bool(let value):
            bytes.append(contentsOf: value ? JSONLiteral.true : JSONLiteral.false)
        case .int(let value): JSONValue.writeInteger(value, into: &bytes)
        case .double(let value): JSONValue.writeDouble(value, into: &bytes)
        case .string(let value): JSONValue.writeString(value, into: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONValue.writeNewline(into: &bytes, format: format, depth: depth + 1)
                element.write(into: &bytes, format: format, depth: depth + 1)
            }
            if !elements.isEmpty {
                JSONValue.writeNewline(into: &bytes, format: format, depth: depth)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            func member(_ key: String, _ value: JSONValue) {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                JSONValue.writeNewline(into: &bytes, format: format, depth: depth + 1)
                JSONValue.writeString(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                if format.indent > 0 { bytes.append(UInt8(ascii: " ")) }
                value.write(into: &bytes, format: format, depth: depth + 1)
            }
            if format.sortedKeys {
                for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                    if let value = members[key] { member(key, value) }
                }
            } else {
                for (key, value) in members { member(key, value) }
            }
            if !members.isEmpty {
                JSONValue.writeNewline(into: &bytes, format: format, depth: depth)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static func writeNewline(into bytes: inout [UInt8], format: JSONFormat, depth: Int) {
        guard format.indent > 0 else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: format.indent * depth))
    }

    private static func writeInteger(_ value: Int, into bytes: inout [UInt8]) {
        // At most 20 bytes: a small string, so no heap allocation.
        bytes.append(contentsOf: value.description.utf8)
    }

    private static func writeDouble(_ value: Double, into bytes: inout [UInt8]) {
        guard value.isFinite else {
            bytes.append(contentsOf: JSONLiteral.null)
            return
        }
        // Swift's description is the shortest text that reads back to the same Double, and its
        // forms ("0.1", "1e-05", "1e+300", "-0.0") are all valid JSON numbers.
        bytes.append(contentsOf: value.description.utf8)
    }

    /// Appends `string` as a JSON string literal with the escapes RFC 8259 requires, as
    /// serde_json and Python's `json` (with `ensure_ascii=False`) write them: `\"`, `\\`,
    /// `\b \f \n \r \t`, other control characters as `\u00xx`, everything else as UTF-8.
    ///
    /// ```swift
    /// var bytes: [UInt8] = []
    /// JSONValue.writeString("a\"b", into: &bytes)  // "a\"b" with the quote escaped
    /// ```
    public static func writeString(_ string: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30])
                    bytes.append(JSONLiteral.hexDigits[Int(byte >> 4)])
                    bytes.append(JSONLiteral.hexDigits[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// Byte sequences the writer and parser share.
enum JSONLiteral {
    static let null: [UInt8] = Array("null".utf8)
    static let `true`: [UInt8] = Array("true".utf8)
    static let `false`: [UInt8] = Array("false".utf8)
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
