import Foundation
import KernelInterface

/// An interactive console on a kernel, like `jupyter console`: `In [n]:` prompts, multi-line
/// input decided by the kernel's `is_complete`, results as `Out[n]:`, Tab completion, history
/// loaded from the kernel (so it spans sessions), and input requests answered at the prompt.
///
/// Ctrl-C at the prompt abandons the input; Ctrl-C while a cell runs is delivered as SIGINT to
/// this process, which the caller turns into a kernel interrupt. Ctrl-D, `exit` or `quit` end
/// the session.
///
/// ```swift
/// ConsoleSession(client: client, editor: LineEditor()).run(banner: info.info.banner)
/// ```
public final class ConsoleSession {
    private let client: KernelClient
    private let editor: LineEditor
    private let printer: OutputPrinter
    private let write: (String, StandardStream) -> Void
    private var executionCount = 1
    private var imageSaver: OutputImageSaver?

    /// Creates a console.
    ///
    /// - Parameters:
    ///   - client: a client whose kernel is ready.
    ///   - editor: reads lines (a terminal line editor, or plain lines from a pipe).
    ///   - write: where output goes.
    ///   - imageDirectory: where images of results and displays are saved (their paths are
    ///     printed), or nil to save none.
    public init(
        client: KernelClient, editor: LineEditor,
        write: @escaping (String, StandardStream) -> Void = OutputPrinter.standardOutput,
        imageDirectory: String? = nil
    ) {
        self.client = client
        self.editor = editor
        self.write = write
        self.printer = OutputPrinter(write: write)
        self.imageSaver = imageDirectory.map(OutputImageSaver.init(directory:))
    }

    /// Runs the read-execute-print loop until the user quits.
    ///
    /// - Throws: `JupyterError.kernelDied` or socket errors.
    public func run(banner: String) throws(JupyterError) {
        write(banner + "\n\n", .stdout)
        editor.history = loadHistory()
        editor.completer = { [client] text, cursor in
            guard
                let reply = try? client.request(
                    .completeRequest,
                    content: CodeAtCursor(code: text, cursorPosition: cursor).json,
                    timeout: .seconds(30)),
                let result = try? reply.decode(CompleteReply.self).result
            else { return ([], cursor, cursor) }
            return (result.matches.map(\.text), result.cursorStart, result.cursorEnd)
        }
        executionCount = currentExecutionCount() + 1
        while let code = try readCell() {
            if ["exit", "quit", "exit()", "quit()"].contains(
                code.trimmingCharacters(in: .whitespaces))
            {
                return
            }
            try execute(code)
        }
    }

    /// Reads lines until the kernel says the cell is complete; nil at end of input.
    private func readCell() throws(JupyterError) -> String? {
        var lines: [String] = []
        var indent = ""
        while true {
            let prompt =
                lines.isEmpty
                ? "In [\(executionCount)]: "
                : String(repeating: " ", count: 3 + String(executionCount).count) + "...: "
            switch editor.readLine(prompt: prompt, initial: indent) {
            case .endOfInput:
                return nil
            case .interrupted:
                lines = []
                indent = ""
                continue
            case .line(let line):
                lines.append(line)
            }
            let code = lines.joined(separator: "\n")
            if code.allSatisfy(\.isWhitespace) {
                lines = []
                continue
            }
            // A blank line after a continuation ends the cell, as in IPython.
            if lines.count > 1, lines.last?.allSatisfy(\.isWhitespace) == true { return code }
            let reply = try? client.request(
                .isCompleteRequest, content: IsCompleteRequest(code: code).json,
                timeout: .seconds(5))
            switch (try? reply?.decode(IsCompleteReply.self))?.completeness {
            case .incomplete(let nextIndent):
                indent = nextIndent
            default:
                return code
            }
        }
    }

    /// Runs one cell, printing its output as it arrives.
    private func execute(_ code: String) throws(JupyterError) {
        let request = ExecuteRequest(code: code, allowStdin: true, stopOnError: true)
        let reply = try client.execute(
            request,
            onOutput: { [self] message in
                var cells = [NotebookCell(kind: .code, source: "")]
                var outputs = CellOutputs()
                let output = outputs.apply(message, toCell: 0, of: &cells)
                let images = output.map(saveImages) ?? []
                if message.type == .executeResult,
                    let result = try? message.decode(DisplayContent.self),
                    let text = result.bundle.plainText
                {
                    printer.finishCell()
                    // As IPython: a result of several lines starts on the line below Out[n].
                    let count = result.executionCount ?? executionCount
                    let shown = text.contains("\n") ? "\n" + text : text
                    write("Out[\(count)]: " + shown + (text.hasSuffix("\n") ? "" : "\n"), .stdout)
                    for path in images { write("[image saved to \(path)]\n", .stdout) }
                    return
                }
                printer.print(message, output: output, savedImages: images)
            },
            onInput: { [editor] request in
                if case .line(let value) = editor.readLine(
                    prompt: request.prompt, hidden: request.password)
                {
                    return value
                }
                return ""
            })
        printer.finishCell()
        printer.printPages(of: reply)
        executionCount = reply.executionCount + 1
        write("\n", .stdout)
    }

    private func saveImages(of output: JSONValue) -> [String] {
        imageSaver?.save(output, prefix: "out\(executionCount)", warn: printer.printWarning) ?? []
    }

    private func loadHistory() -> [String] {
        let request = HistoryRequest(access: .tail(count: 1000))
        guard
            let reply = try? client.request(
                .historyRequest, content: request.json, timeout: .seconds(5)),
            let history = try? reply.decode(HistoryReply.self)
        else { return [] }
        var inputs: [String] = []
        for entry in history.entries where inputs.last != entry.input { inputs.append(entry.input) }
        return inputs
    }

    /// The kernel's execution counter, read with a silent empty execution.
    private func currentExecutionCount() -> Int {
        let request = ExecuteRequest(code: "", silent: true, storeHistory: false)
        return (try? client.execute(request, timeout: .seconds(10)).executionCount) ?? 0
    }
}
