import KernelInterface

/// The content of `display_data`, `update_display_data` and (with a count) `execute_result`.
public struct DisplayContent: MessageContent, Equatable {
    /// The representations and their metadata.
    public var bundle: MimeBundle
    /// The display id (sent in `transient`), for displays updated in place.
    public var displayId: String?
    /// The execution counter, for `execute_result` only.
    public var executionCount: Int?

    /// Creates the content.
    public init(bundle: MimeBundle, displayId: String? = nil, executionCount: Int? = nil) {
        self.bundle = bundle
        self.displayId = displayId
        self.executionCount = executionCount
    }

    /// Reads the content.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        let transient = try ContentReader(.object(try reader.object("transient")))
        self.init(
            bundle: MimeBundle(
                data: try reader.object("data"), metadata: try reader.object("metadata")),
            displayId: try transient.optionalString("display_id"),
            executionCount: try reader.optionalInt("execution_count"))
    }

    /// The content as JSON; `transient` is always present (an empty object without an id).
    public var json: JSONValue {
        var fields: [String: JSONValue] = [
            "data": .object(bundle.data), "metadata": .object(bundle.metadata),
            "transient": .object(displayId.map { ["display_id": .string($0)] } ?? [:]),
        ]
        if let executionCount { fields["execution_count"] = .int(executionCount) }
        return .object(fields)
    }
}

/// The content of `stream`: text written to stdout or stderr.
public struct StreamContent: MessageContent, Equatable {
    /// Which stream.
    public var name: StandardStream
    /// The text, possibly many lines.
    public var text: String

    /// Creates the content.
    public init(name: StandardStream, text: String) {
        self.name = name
        self.text = text
    }

    /// Reads the content.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        guard let name = StandardStream(rawValue: try reader.string("name")) else {
            throw JupyterError.invalidContent(
                messageType: "", field: "name", expected: "\"stdout\" or \"stderr\"")
        }
        self.init(name: name, text: try reader.string("text"))
    }

    /// The content as JSON.
    public var json: JSONValue { ["name": .string(name.rawValue), "text": .string(text)] }
}

/// The content of `clear_output`.
public struct ClearOutputContent: MessageContent, Equatable {
    /// Clear only when the next output arrives (avoids flicker).
    public var wait: Bool

    /// Creates the content.
    public init(wait: Bool) {
        self.wait = wait
    }

    /// Reads the content.
    public init(json: JSONValue) throws(JupyterError) {
        self.init(wait: try ContentReader(json).bool("wait", default: false))
    }

    /// The content as JSON.
    public var json: JSONValue { ["wait": .bool(wait)] }
}

/// The kernel's state as published in `status` messages.
public enum ExecutionState: String, Sendable, Equatable {
    /// Published once, when the kernel process starts.
    case starting
    /// A request is being handled.
    case busy
    /// The request and all its output are done.
    case idle
}

/// The content of `status`.
public struct StatusContent: MessageContent, Equatable {
    /// The state.
    public var state: ExecutionState

    /// Creates the content.
    public init(_ state: ExecutionState) {
        self.state = state
    }

    /// Reads the content.
    public init(json: JSONValue) throws(JupyterError) {
        guard
            let state = ExecutionState(rawValue: try ContentReader(json).string("execution_state"))
        else {
            throw JupyterError.invalidContent(
                messageType: "", field: "execution_state",
                expected: "\"starting\", \"busy\" or \"idle\"")
        }
        self.init(state)
    }

    /// The content as JSON.
    public var json: JSONValue { ["execution_state": .string(state.rawValue)] }
}
