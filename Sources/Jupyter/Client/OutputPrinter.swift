import KernelInterface
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Prints cell outputs for a terminal: stream text as is, results and displays by their
/// `text/plain` (charts carry a Unicode rendering there), tracebacks on standard error, and the
/// paths of images saved to files.
///
/// Displays updated in place (`update_display_data`, such as a training progress display) are
/// redrawn where they stand when the terminal allows it: on a terminal, when the display is the
/// last thing printed, its lines are replaced; otherwise the new state is printed below. When
/// the output is not a terminal (a pipe, a log file), updates are not printed as they come;
/// the final state of each updated display is printed when the cell ends.
public final class OutputPrinter {
    let write: (String, StandardStream) -> Void
    private let isTerminal: Bool
    /// The display printed last, if nothing was printed after it: its id and how many lines
    /// its text took.
    private var lastDisplay: (id: String, lineCount: Int)?
    /// The newest text of displays updated while the output is not a terminal, by id, in the
    /// order they were first updated.
    private var pendingUpdates: [(id: String, text: String)] = []

    /// Creates a printer.
    ///
    /// - Parameters:
    ///   - write: where text goes.
    ///   - isTerminal: whether standard output is a terminal that understands cursor movement
    ///     (by default, whether it is a TTY).
    public init(
        write: @escaping (String, StandardStream) -> Void,
        isTerminal: Bool = isatty(STDOUT_FILENO) == 1
    ) {
        self.write = write
        self.isTerminal = isTerminal
    }

    /// Writes to the process's standard output or error, unbuffered.
    public static let standardOutput: @Sendable (String, StandardStream) -> Void = { text, stream in
        var text = text
        let descriptor = stream == .stdout ? STDOUT_FILENO : STDERR_FILENO
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(
                    descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else {
                    // The reader went away (SIGPIPE is ignored, so this is EPIPE): the end of
                    // the output.
                    if descriptor == STDOUT_FILENO { OutputPrinter.standardOutputClosed() }
                    return
                }
                offset += written
            }
        }
    }

    /// Called once, the first time a write to standard output fails (its reader went away, as
    /// in `trainbook run nb.ipynb | head`): the command shuts its kernel down and exits.
    public static let onStandardOutputClosed = Mutex<(@Sendable () -> Void)?>(nil)

    private static func standardOutputClosed() {
        let handler = onStandardOutputClosed.withLock { handler in
            defer { handler = nil }
            return handler
        }
        handler?()
    }

    /// Prints the pages of an `execute_reply` payload (such as the text of `%help print`) by
    /// their `text/plain`, as IPython's console does.
    ///
    /// - Parameter reply: the reply of the cell.
    public func printPages(of reply: ExecuteReply) {
        guard case .ok(let payload, _) = reply.status else { return }
        for entry in payload where entry["source"]?.stringValue == "page" {
            guard let text = entry["data"]?["text/plain"].flatMap(NotebookCell.joined) else {
                continue
            }
            printPendingUpdates()
            lastDisplay = nil
            write(Self.ended(text), .stdout)
        }
    }

    /// Prints what an IOPub message of a running cell shows: stream text, a result, a display
    /// (with its saved images), an error, or an update of an earlier display.
    ///
    /// - Parameters:
    ///   - message: the message as received.
    ///   - output: the nbformat output it added to the notebook, if any.
    ///   - savedImages: the paths the output's images were saved to.
    public func print(_ message: Message, output: JSONValue?, savedImages: [String] = []) {
        if message.type != .updateDisplayData { printPendingUpdates() }
        switch message.type {
        case .stream:
            guard let stream = try? message.decode(StreamContent.self) else { return }
            lastDisplay = nil
            write(stream.text, stream.name)
        case .updateDisplayData:
            printUpdate(message)
        case .displayData:
            guard let output else { return }
            print(output, savedImages: savedImages)
            let id = (try? message.decode(DisplayContent.self))?.displayId
            if let id, let text = Self.plainText(of: output) {
                lastDisplay = (id, Self.lineCount(text))
            }
        default:
            if let output { print(output, savedImages: savedImages) }
        }
    }

    /// Prints one nbformat output.
    public func print(_ output: JSONValue, savedImages: [String]) {
        printPendingUpdates()
        lastDisplay = nil
        switch output["output_type"]?.stringValue {
        case "stream":
            let stream: StandardStream = output["name"] == "stderr" ? .stderr : .stdout
            write(output["text"]?.stringValue ?? "", stream)
        case "execute_result", "display_data":
            if let text = Self.plainText(of: output) {
                write(Self.ended(text), .stdout)
            }
            for path in savedImages { write("[image saved to \(path)]\n", .stdout) }
        case "error":
            let lines = output["traceback"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let text =
                lines.isEmpty
                ? "\(output["ename"]?.stringValue ?? "Error"): \(output["evalue"]?.stringValue ?? "")"
                : lines.joined(separator: "\n")
            write(text + "\n", .stderr)
        default:
            break
        }
    }

    /// Shows an `update_display_data`: redrawn in place when it updates the display printed
    /// last on a terminal, printed below on a terminal otherwise, kept for `finishCell()` when
    /// the output is not a terminal.
    public func printUpdate(_ message: Message) {
        guard message.type == .updateDisplayData,
            let content = try? message.decode(DisplayContent.self), let id = content.displayId,
            let text = content.bundle.plainText
        else { return }
        guard isTerminal else {
            if let index = pendingUpdates.firstIndex(where: { $0.id == id }) {
                pendingUpdates[index].text = text
            } else {
                pendingUpdates.append((id, text))
            }
            return
        }
        if let last = lastDisplay, last.id == id {
            // Up to the first line of the display, then clear to the end of the screen.
            write("\u{1B}[\(last.lineCount)F\u{1B}[J", .stdout)
        }
        write(Self.ended(text), .stdout)
        lastDisplay = (id, Self.lineCount(text))
    }

    /// Ends a cell's output: prints the final state of the displays updated since they were
    /// printed (when the output is not a terminal).
    public func finishCell() {
        printPendingUpdates()
        lastDisplay = nil
    }

    /// Prints the newest state of the displays updated since they were printed, before any
    /// other output, so that the output keeps the order the notebook has.
    private func printPendingUpdates() {
        for update in pendingUpdates {
            write(Self.ended(update.text), .stdout)
        }
        pendingUpdates = []
    }

    /// Prints a warning line on standard error.
    public func printWarning(_ text: String) {
        write("trainbook: \(text)\n", .stderr)
    }

    private static func plainText(of output: JSONValue) -> String? {
        output["data"]?["text/plain"].flatMap(NotebookCell.joined)
    }

    private static func ended(_ text: String) -> String {
        text.hasSuffix("\n") ? text : text + "\n"
    }

    /// The lines `text` takes once ended with a newline.
    private static func lineCount(_ text: String) -> Int {
        ended(text).utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}
