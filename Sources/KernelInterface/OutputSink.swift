/// Where an interpreter sends what a cell prints and displays while it runs.
///
/// The kernel server implements this by publishing on IOPub (`stream`, `display_data`,
/// `update_display_data`, `clear_output`) and by asking the front end over stdin; a terminal
/// REPL or a test implements it in memory. Every method may be called from the thread that runs
/// the cell; implementations are responsible for their own thread safety.
public protocol OutputSink: AnyObject, Sendable {
    /// Appends `text` to a standard stream. Implementations may coalesce consecutive writes but
    /// must keep their order.
    func write(_ text: String, to stream: StandardStream)

    /// Shows `bundle` now. With an `id`, later `updateDisplay(_:id:)` calls replace it in place.
    func display(_ bundle: MimeBundle, id: String?)

    /// Replaces the contents of every display shown earlier with `id`.
    func updateDisplay(_ bundle: MimeBundle, id: String)

    /// Clears the cell's output; with `wait`, only when the next output arrives.
    func clearOutput(wait: Bool)

    /// Shows `bundle` in the front end's pager (help text, long documentation). The server sends
    /// it as a `page` payload of the `execute_reply`; front ends without a pager print it.
    func page(_ bundle: MimeBundle)

    /// Asks the user for a line of input, blocking until it arrives.
    ///
    /// - Throws: `InputError.notAllowed` when the front end does not accept input requests,
    ///   `InputError.interrupted` when the cell is interrupted while waiting.
    func readInput(prompt: String, password: Bool) throws(InputError) -> String
}

/// One of the two standard output streams of a cell.
public enum StandardStream: String, Sendable {
    case stdout
    case stderr
}

/// Why a request for input could not be answered.
public enum InputError: Error, Sendable, Equatable {
    /// The front end said it does not accept input (`allow_stdin` was false).
    case notAllowed
    /// The cell was interrupted while waiting for input.
    case interrupted
}
