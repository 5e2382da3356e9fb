import KernelInterface

/// The content of `execute_request`.
public struct ExecuteRequest: MessageContent, Equatable {
    /// The cell's source.
    public var code: String
    /// Run quietly: no output on IOPub, no `execute_result`, no history.
    public var silent: Bool
    /// Whether the cell goes into history (always false when `silent`).
    public var storeHistory: Bool
    /// Expressions to evaluate after the cell, by name.
    public var userExpressions: [String: String]
    /// Whether the kernel may ask for input on the stdin channel.
    public var allowStdin: Bool
    /// Whether an error aborts the execute requests already queued.
    public var stopOnError: Bool

    /// Creates a request with the protocol's defaults.
    public init(
        code: String, silent: Bool = false, storeHistory: Bool = true,
        userExpressions: [String: String] = [:], allowStdin: Bool = false, stopOnError: Bool = true
    ) {
        self.code = code
        self.silent = silent
        self.storeHistory = storeHistory && !silent
        self.userExpressions = userExpressions
        self.allowStdin = allowStdin
        self.stopOnError = stopOnError
    }

    /// Reads a request; `silent` forces `store_history` off.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        var expressions: [String: String] = [:]
        for (name, expression) in try reader.object("user_expressions") {
            guard let text = expression.stringValue else {
                throw JupyterError.invalidContent(
                    messageType: "", field: "user_expressions", expected: "an object of strings")
            }
            expressions[name] = text
        }
        let silent = try reader.bool("silent", default: false)
        self.init(
            code: try reader.string("code"), silent: silent,
            storeHistory: try reader.bool("store_history", default: !silent),
            userExpressions: expressions, allowStdin: try reader.bool("allow_stdin", default: true),
            stopOnError: try reader.bool("stop_on_error", default: true))
    }

    /// The request as JSON.
    public var json: JSONValue {
        [
            "code": .string(code), "silent": .bool(silent), "store_history": .bool(storeHistory),
            "user_expressions": .object(userExpressions.mapValues { .string($0) }),
            "allow_stdin": .bool(allowStdin), "stop_on_error": .bool(stopOnError),
        ]
    }
}

/// The content of `execute_reply`.
public struct ExecuteReply: MessageContent, Equatable {
    /// How the execution ended.
    public enum Status: Sendable, Equatable {
        /// The cell ran; `payload` holds pager pages and the like.
        case ok(payload: [JSONValue], userExpressions: [String: JSONValue])
        /// The cell failed, was interrupted or was aborted.
        case error(ExecutionError)
    }

    /// The execution counter of the cell.
    public var executionCount: Int
    /// How the execution ended.
    public var status: Status

    /// Creates a reply.
    public init(executionCount: Int, status: Status) {
        self.executionCount = executionCount
        self.status = status
    }

    /// Reads a reply; a status other than "ok" reads as an error.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        executionCount = try reader.int("execution_count", default: 0)
        if try reader.string("status") == "ok" {
            status = .ok(
                payload: try reader.array("payload"),
                userExpressions: try reader.object("user_expressions"))
        } else {
            status = .error(try ErrorReply(json: json).error)
        }
    }

    /// The reply as JSON.
    public var json: JSONValue {
        switch status {
        case .ok(let payload, let userExpressions):
            return [
                "status": "ok", "execution_count": .int(executionCount), "payload": .array(payload),
                "user_expressions": .object(userExpressions),
            ]
        case .error(let error):
            var fields = ErrorReply(error).json.objectValue ?? [:]
            fields["execution_count"] = .int(executionCount)
            return .object(fields)
        }
    }
}

/// The content of `execute_input` on IOPub: the code being run, for every front end to see.
public struct ExecuteInput: MessageContent, Equatable {
    /// The cell's source.
    public var code: String
    /// Its execution counter.
    public var executionCount: Int

    /// Creates the content.
    public init(code: String, executionCount: Int) {
        self.code = code
        self.executionCount = executionCount
    }

    /// Reads the content.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        self.init(
            code: try reader.string("code"),
            executionCount: try reader.int("execution_count", default: 0))
    }

    /// The content as JSON.
    public var json: JSONValue { ["code": .string(code), "execution_count": .int(executionCount)] }
}
