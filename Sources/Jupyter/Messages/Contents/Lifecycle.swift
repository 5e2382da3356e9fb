import KernelInterface

/// The content of `shutdown_request` and `shutdown_reply`.
public struct ShutdownContent: MessageContent, Equatable {
    /// Whether the front end will start the kernel again.
    public var restart: Bool

    /// Creates the content.
    public init(restart: Bool) {
        self.restart = restart
    }

    /// Reads the content.
    public init(json: JSONValue) throws(JupyterError) {
        self.init(restart: try ContentReader(json).bool("restart", default: false))
    }

    /// The content as JSON, with `status: "ok"` (harmless in the request).
    public var json: JSONValue { ["status": "ok", "restart": .bool(restart)] }
}

/// The content of `input_request` on the stdin channel.
public struct InputRequest: MessageContent, Equatable {
    /// The prompt to show.
    public var prompt: String
    /// Whether to hide what is typed.
    public var password: Bool

    /// Creates the request.
    public init(prompt: String, password: Bool) {
        self.prompt = prompt
        self.password = password
    }

    /// Reads the request.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        self.init(
            prompt: try reader.string("prompt", default: ""),
            password: try reader.bool("password", default: false))
    }

    /// The request as JSON.
    public var json: JSONValue { ["prompt": .string(prompt), "password": .bool(password)] }
}

/// The content of `input_reply` on the stdin channel.
public struct InputReply: MessageContent, Equatable {
    /// What the user typed.
    public var value: String

    /// Creates the reply.
    public init(value: String) {
        self.value = value
    }

    /// Reads the reply.
    public init(json: JSONValue) throws(JupyterError) {
        self.init(value: try ContentReader(json).string("value"))
    }

    /// The reply as JSON.
    public var json: JSONValue { ["value": .string(value)] }
}

/// The content of `iopub_welcome` (JEP 65), sent when a front end subscribes to IOPub.
public struct IOPubWelcome: MessageContent, Equatable {
    /// The subscription topic ("" for everything).
    public var subscription: String

    /// Creates the content.
    public init(subscription: String) {
        self.subscription = subscription
    }

    /// Reads the content.
    public init(json: JSONValue) throws(JupyterError) {
        self.init(subscription: try ContentReader(json).string("subscription", default: ""))
    }

    /// The content as JSON.
    public var json: JSONValue { ["subscription": .string(subscription)] }
}

/// The content of `comm_open` and `comm_close` as far as a kernel without comm targets needs.
public struct CommContent: MessageContent, Equatable {
    /// The comm's id.
    public var commId: String
    /// The target the front end asked for (comm_open only).
    public var targetName: String?

    /// Creates the content.
    public init(commId: String, targetName: String? = nil) {
        self.commId = commId
        self.targetName = targetName
    }

    /// Reads the content.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        self.init(
            commId: try reader.string("comm_id"),
            targetName: try reader.optionalString("target_name"))
    }

    /// The content as JSON, with an empty `data` object.
    public var json: JSONValue {
        var fields: [String: JSONValue] = ["comm_id": .string(commId), "data": [:]]
        if let targetName { fields["target_name"] = .string(targetName) }
        return .object(fields)
    }
}
