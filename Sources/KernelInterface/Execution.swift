/// One `execute_request`, as the interpreter sees it.
public struct ExecutionRequest: Sendable, Equatable {
    /// The cell's source.
    public var code: String
    /// The execution count the server assigned (shown as `In [n]`), for tracebacks.
    public var executionCount: Int
    /// When true, the front end wants no output and no history entry.
    public var silent: Bool
    /// When true, the cell goes into the interpreter's own input history (for `%history`).
    public var storeHistory: Bool
    /// Whether `OutputSink.readInput` may ask the front end for input.
    public var allowStdin: Bool

    /// Creates a request.
    public init(
        code: String, executionCount: Int, silent: Bool = false, storeHistory: Bool = true,
        allowStdin: Bool = false
    ) {
        self.code = code
        self.executionCount = executionCount
        self.silent = silent
        self.storeHistory = storeHistory
        self.allowStdin = allowStdin
    }
}

/// How a cell ended.
public enum ExecutionOutcome: Sendable, Equatable {
    /// The cell ran to the end; `result` is its value to publish as `execute_result`, if any.
    case success(result: MimeBundle?)
    /// The cell failed (including by interrupt); the server publishes `error` and replies with
    /// status "error".
    case failure(ExecutionError)
}

/// A cell's error as Jupyter shows it: `ename`, `evalue` and the traceback lines.
public struct ExecutionError: Error, Sendable, Equatable {
    /// The error's kind, e.g. "SyntaxError", "ShapeError", "KeyboardInterrupt".
    public var name: String
    /// The one-line cause.
    public var value: String
    /// The lines the front end shows, in order; may contain ANSI colour codes.
    public var traceback: [String]

    /// Creates an error; the traceback defaults to the single line "name: value".
    public init(name: String, value: String, traceback: [String]? = nil) {
        self.name = name
        self.value = value
        self.traceback = traceback ?? ["\(name): \(value)"]
    }

    /// The error a server reports for a request it did not run because an earlier cell failed.
    public static let aborted = ExecutionError(
        name: "ExecutionAborted",
        value: "not run because an earlier cell in the queue failed (stop_on_error)")

    /// The error for a cell stopped by an interrupt.
    public static let keyboardInterrupt = ExecutionError(
        name: "KeyboardInterrupt", value: "execution interrupted by the user")
}
