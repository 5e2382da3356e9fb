import KernelInterface

/// The typed content of one message type, convertible to and from its JSON object.
///
/// ```swift
/// let request = try message.decode(ExecuteRequest.self)
/// let reply = ExecuteReply.ok(executionCount: 3).json
/// ```
public protocol MessageContent: Sendable {
    /// Reads the content from its JSON object; unknown fields are ignored, missing optional
    /// fields take the protocol's defaults.
    ///
    /// - Throws: `JupyterError.invalidContent` naming the first bad field.
    init(json: JSONValue) throws(JupyterError)

    /// The content as a JSON object.
    var json: JSONValue { get }
}

extension Message {
    /// The content decoded as `Content`, errors naming this message's type.
    ///
    /// - Throws: `JupyterError.invalidContent` naming the first bad field.
    public func decode<Content: MessageContent>(_: Content.Type) throws(JupyterError) -> Content {
        do {
            return try Content(json: content)
        } catch .invalidContent(_, let field, let expected) {
            throw .invalidContent(messageType: header.messageType, field: field, expected: expected)
        }
    }
}

/// Reads typed fields out of a content object; every error names the field and what it needs.
struct ContentReader {
    let fields: [String: JSONValue]

    init(_ json: JSONValue) throws(JupyterError) {
        guard let fields = json.objectValue else {
            throw JupyterError.invalidContent(
                messageType: "", field: "content", expected: "an object")
        }
        self.fields = fields
    }

    private func mismatch(_ key: String, _ expected: String) -> JupyterError {
        .invalidContent(messageType: "", field: key, expected: expected)
    }

    /// A present, non-null field.
    private func value(_ key: String) -> JSONValue? {
        guard let value = fields[key], !value.isNull else { return nil }
        return value
    }

    func string(_ key: String) throws(JupyterError) -> String {
        guard let value = value(key) else { throw mismatch(key, "a string") }
        guard let string = value.stringValue else { throw mismatch(key, "a string") }
        return string
    }

    func string(_ key: String, default fallback: String) throws(JupyterError) -> String {
        guard value(key) != nil else { return fallback }
        return try string(key)
    }

    func optionalString(_ key: String) throws(JupyterError) -> String? {
        guard value(key) != nil else { return nil }
        return try string(key)
    }

    func bool(_ key: String, default fallback: Bool) throws(JupyterError) -> Bool {
        guard let value = value(key) else { return fallback }
        guard let bool = value.boolValue else { throw mismatch(key, "true or false") }
        return bool
    }

    func int(_ key: String) throws(JupyterError) -> Int {
        guard let int = value(key)?.intValue else { throw mismatch(key, "an integer") }
        return int
    }

    func int(_ key: String, default fallback: Int) throws(JupyterError) -> Int {
        guard value(key) != nil else { return fallback }
        return try int(key)
    }

    func optionalInt(_ key: String) throws(JupyterError) -> Int? {
        guard value(key) != nil else { return nil }
        return try int(key)
    }

    func object(_ key: String, default fallback: [String: JSONValue] = [:])
        throws(JupyterError) -> [String: JSONValue]
    {
        guard let value = value(key) else { return fallback }
        guard let object = value.objectValue else { throw mismatch(key, "an object") }
        return object
    }

    func array(_ key: String, default fallback: [JSONValue] = []) throws(JupyterError)
        -> [JSONValue]
    {
        guard let value = value(key) else { return fallback }
        guard let array = value.arrayValue else { throw mismatch(key, "an array") }
        return array
    }

    func strings(_ key: String) throws(JupyterError) -> [String] {
        var strings: [String] = []
        for element in try array(key) {
            guard let string = element.stringValue else {
                throw mismatch(key, "an array of strings")
            }
            strings.append(string)
        }
        return strings
    }
}
