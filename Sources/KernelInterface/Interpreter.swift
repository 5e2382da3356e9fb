/// A language that a Jupyter kernel can run: the whole of the seam between the kernel server
/// and the cell language.
///
/// The server calls `execute`, `evaluate`, `complete`, `inspect` and `isComplete` from one
/// thread, one request at a time; it may call `interrupt()` from any thread (including a signal
/// handler's dispatch queue) while a cell runs.
public protocol Interpreter: AnyObject {
    /// What `kernel_info_reply` says about the language and its implementation.
    var info: InterpreterInfo { get }

    /// Runs one cell. Output produced while running goes to `output`; the cell's value, if any,
    /// comes back in the outcome and the server publishes it as `execute_result`.
    func execute(_ request: ExecutionRequest, output: any OutputSink) -> ExecutionOutcome

    /// Evaluates one expression for `user_expressions`, without side effects on the output.
    func evaluate(expression: String) -> Result<MimeBundle, ExecutionError>

    /// Completions at `cursor` (a Unicode scalar offset into `code`).
    func complete(_ code: String, cursor: Int) -> CompletionResult

    /// Documentation for what is at `cursor` (a Unicode scalar offset into `code`);
    /// `detailLevel` 0 is the summary, 1 adds more. Nil when there is nothing to show.
    func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle?

    /// Whether `code` is a complete cell, for front ends deciding between running and a new line.
    func isComplete(_ code: String) -> Completeness

    /// Asks the running cell to stop as soon as it can, as a KeyboardInterrupt would. Safe to
    /// call from any thread at any time, including when no cell runs (then it has no effect on
    /// the next cell).
    func interrupt()

    /// Called once before the kernel exits or restarts.
    func shutdown(restart: Bool)
}

// MARK: - Default implementations

extension Interpreter {
    /// By default user expressions are not supported.
    public func evaluate(expression: String) -> Result<MimeBundle, ExecutionError> {
        .failure(ExecutionError(name: "NotSupported", value: "user expressions are not supported"))
    }

    /// By default nothing is inspected.
    public func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? { nil }

    /// By default shutting down needs no work.
    public func shutdown(restart: Bool) {}
}
