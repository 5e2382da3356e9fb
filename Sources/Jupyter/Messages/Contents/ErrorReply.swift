import KernelInterface

/// The content of any reply with `status: "error"`: the error's name, value and traceback.
///
/// ```swift
/// ErrorReply(ExecutionError(name: "UnknownMessageType", value: "no handler")).json
/// ```
public struct ErrorReply: MessageContent, Equatable {
    /// The error.
    public var error: ExecutionError

    /// Creates an error reply.
    public init(_ error: ExecutionError) {
        self.error = error
    }

    /// Reads an error reply.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        error = ExecutionError(
            name: try reader.string("ename", default: ""),
            value: try reader.string("evalue", default: ""),
            traceback: try reader.strings("traceback"))
    }

    /// `{"status": "error", "ename", "evalue", "traceback"}`.
    public var json: JSONValue {
        [
            "status": "error", "ename": .string(error.name), "evalue": .string(error.value),
            "traceback": .array(error.traceback.map { .string($0) }),
        ]
    }
}

/// The `error` message on IOPub: the same fields as an error reply, without `status`.
public struct ErrorContent: MessageContent, Equatable {
    /// The error.
    public var error: ExecutionError

    /// Creates the content.
    public init(_ error: ExecutionError) {
        self.error = error
    }

    /// Reads the content.
    public init(json: JSONValue) throws(JupyterError) {
        error = try ErrorReply(json: json).error
    }

    /// `{"ename", "evalue", "traceback"}`.
    public var json: JSONValue {
        var fields = ErrorReply(error).json.objectValue ?? [:]
        fields["status"] = nil
        return .object(fields)
    }
}
