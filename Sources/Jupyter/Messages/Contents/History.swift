import KernelInterface

/// One line of execution history: a cell's input (and its text output) in a kernel session.
public struct HistoryEntry: Sendable, Equatable {
    /// The session number (1 for the first kernel run that used this history file).
    public var session: Int
    /// The execution counter of the cell within its session.
    public var line: Int
    /// The cell's source.
    public var input: String
    /// The `text/plain` of the cell's result, if any.
    public var output: String?

    /// Creates an entry.
    public init(session: Int, line: Int, input: String, output: String? = nil) {
        self.session = session
        self.line = line
        self.input = input
        self.output = output
    }
}

/// The content of `history_request`.
public struct HistoryRequest: MessageContent, Equatable {
    /// Which entries to return.
    public enum Access: Sendable, Equatable {
        /// The last `count` entries.
        case tail(count: Int)
        /// Lines `start..<stop` (stop nil: to the end) of a session; a session <= 0 counts back
        /// from the current one (0 is the current session).
        case range(session: Int, start: Int, stop: Int?)
        /// Entries whose input matches a glob `pattern` (`*`, `?`), the last `count` of them
        /// (nil: all), only the latest of equal inputs when `unique`.
        case search(pattern: String, count: Int?, unique: Bool)
    }

    /// Which entries to return.
    public var access: Access
    /// Whether to include outputs (each entry then carries `[input, output]`).
    public var includeOutput: Bool
    /// Whether raw input is wanted (Trainbook stores only raw input).
    public var raw: Bool

    /// Creates a request.
    public init(access: Access, includeOutput: Bool = false, raw: Bool = true) {
        self.access = access
        self.includeOutput = includeOutput
        self.raw = raw
    }

    /// Reads a request.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        switch try reader.string("hist_access_type") {
        case "tail":
            access = .tail(count: max(0, try reader.int("n", default: 10)))
        case "range":
            access = .range(
                session: try reader.int("session", default: 0),
                start: try reader.int("start", default: 0),
                stop: try reader.optionalInt("stop"))
        case "search":
            access = .search(
                pattern: try reader.string("pattern", default: "*"),
                count: try reader.optionalInt("n").map { max(0, $0) },
                unique: try reader.bool("unique", default: false))
        default:
            throw JupyterError.invalidContent(
                messageType: "", field: "hist_access_type",
                expected: "\"tail\", \"range\" or \"search\"")
        }
        includeOutput = try reader.bool("output", default: false)
        raw = try reader.bool("raw", default: true)
    }

    /// The request as JSON.
    public var json: JSONValue {
        var fields: [String: JSONValue] = ["output": .bool(includeOutput), "raw": .bool(raw)]
        switch access {
        case .tail(let count):
            fields["hist_access_type"] = "tail"
            fields["n"] = .int(count)
        case .range(let session, let start, let stop):
            fields["hist_access_type"] = "range"
            fields["session"] = .int(session)
            fields["start"] = .int(start)
            if let stop { fields["stop"] = .int(stop) }
        case .search(let pattern, let count, let unique):
            fields["hist_access_type"] = "search"
            fields["pattern"] = .string(pattern)
            if let count { fields["n"] = .int(count) }
            fields["unique"] = .bool(unique)
        }
        return .object(fields)
    }
}

/// The content of `history_reply`.
public struct HistoryReply: MessageContent, Equatable {
    /// The entries, oldest first.
    public var entries: [HistoryEntry]
    /// Whether each entry is sent as `[session, line, [input, output]]`.
    public var includeOutput: Bool

    /// Creates a reply.
    public init(entries: [HistoryEntry], includeOutput: Bool) {
        self.entries = entries
        self.includeOutput = includeOutput
    }

    /// Reads a reply.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        var entries: [HistoryEntry] = []
        var sawOutput = false
        for item in try reader.array("history") {
            guard let fields = item.arrayValue, fields.count == 3, let session = fields[0].intValue,
                let line = fields[1].intValue
            else {
                throw JupyterError.invalidContent(
                    messageType: "", field: "history", expected: "[session, line, input] triples")
            }
            if let pair = fields[2].arrayValue, pair.count == 2 {
                sawOutput = true
                entries.append(
                    HistoryEntry(
                        session: session, line: line, input: pair[0].stringValue ?? "",
                        output: pair[1].stringValue))
            } else {
                entries.append(
                    HistoryEntry(session: session, line: line, input: fields[2].stringValue ?? ""))
            }
        }
        self.init(entries: entries, includeOutput: sawOutput)
    }

    /// The reply as JSON.
    public var json: JSONValue {
        let history: [JSONValue] = entries.map { entry in
            let input: JSONValue = .string(entry.input)
            let last: JSONValue =
                includeOutput ? [input, entry.output.map { .string($0) } ?? .null] : input
            return [.int(entry.session), .int(entry.line), last]
        }
        return ["status": "ok", "history": .array(history)]
    }
}
