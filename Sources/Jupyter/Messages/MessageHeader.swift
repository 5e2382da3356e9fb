import KernelInterface

/// The `header` of a message: who sent it, when, and what type it is.
///
/// Fields the protocol may add later (such as a subshell id) are kept in `extra`, so that a
/// reply's `parent_header` echoes the request's header whole.
public struct MessageHeader: Sendable, Equatable {
    /// Unique id of this message.
    public var messageId: String
    /// Id of the sending session.
    public var session: String
    /// User name of the sender.
    public var username: String
    /// ISO 8601 creation time.
    public var date: String
    /// The message type as sent, e.g. "execute_request".
    public var messageType: String
    /// Protocol version of the sender, e.g. "5.4".
    public var version: String
    /// Header fields not listed above, kept as received.
    public var extra: [String: JSONValue]

    /// Creates a header.
    public init(
        messageId: String, session: String, username: String, date: String, messageType: String,
        version: String, extra: [String: JSONValue] = [:]
    ) {
        self.messageId = messageId
        self.session = session
        self.username = username
        self.date = date
        self.messageType = messageType
        self.version = version
        self.extra = extra
    }

    /// The known type, or nil for a type this module does not know.
    public var type: MessageType? { MessageType(rawValue: messageType) }

    /// Reads a header; `msg_id` and `msg_type` are required, the other fields default to "".
    ///
    /// - Throws: `JupyterError.invalidContent` when a required field is missing.
    public init(json: JSONValue) throws(JupyterError) {
        guard var fields = json.objectValue else {
            throw JupyterError.invalidJSON(part: "header", reason: "not an object")
        }
        func take(_ key: String) -> String? {
            defer { fields[key] = nil }
            return fields[key]?.stringValue
        }
        guard let messageId = take("msg_id") else {
            throw JupyterError.invalidContent(
                messageType: "header", field: "msg_id", expected: "a string")
        }
        guard let messageType = take("msg_type") else {
            throw JupyterError.invalidContent(
                messageType: "header", field: "msg_type", expected: "a string")
        }
        self.init(
            messageId: messageId, session: take("session") ?? "", username: take("username") ?? "",
            date: take("date") ?? "", messageType: messageType, version: take("version") ?? "",
            extra: fields)
    }

    /// The header as compact JSON text, written field by field (no dictionary is built: each
    /// message on the wire writes its header and its parent's).
    public func jsonBytes() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(192)
        func field(_ key: StaticString, _ value: String) {
            bytes.append(bytes.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            bytes.append(UInt8(ascii: "\""))
            bytes.append(
                contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            JSONValue.string(value).writeJSON(into: &bytes)
        }
        field("msg_id", messageId)
        field("session", session)
        field("username", username)
        field("date", date)
        field("msg_type", messageType)
        field("version", version)
        for (key, value) in extra where !MessageHeader.standardKeys.contains(key) {
            bytes.append(UInt8(ascii: ","))
            JSONValue.string(key).writeJSON(into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            value.writeJSON(into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The keys `json` and `jsonBytes()` write from the stored properties.
    static let standardKeys: Set<String> = [
        "msg_id", "session", "username", "date", "msg_type", "version",
    ]

    /// The header as a JSON object.
    public var json: JSONValue {
        var fields = extra
        fields["msg_id"] = .string(messageId)
        fields["session"] = .string(session)
        fields["username"] = .string(username)
        fields["date"] = .string(date)
        fields["msg_type"] = .string(messageType)
        fields["version"] = .string(version)
        return .object(fields)
    }
}
