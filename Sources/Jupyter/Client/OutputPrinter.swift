import KernelInterface

#if canImport(Glibc)
    import Glibc
#endif

/// Prints cell outputs for a terminal: stream text as is, results and displays by their
/// `text/plain` (charts carry a Unicode rendering there), tracebacks on standard error, and the
/// paths of images saved to files.
public struct OutputPrinter {
    let write: (String, StandardStream) -> Void

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
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// Prints one nbformat output.
    public func print(_ output: JSONValue, savedImages: [String]) {
        switch output["output_type"]?.stringValue {
        case "stream":
            let stream: StandardStream = output["name"] == "stderr" ? .stderr : .stdout
            write(output["text"]?.stringValue ?? "", stream)
        case "execute_result", "display_data":
            if let text = output["data"]?["text/plain"].flatMap(NotebookCell.joined) {
                write(text.hasSuffix("\n") ? text : text + "\n", .stdout)
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

    /// Prints what an IOPub message that added no output means for a terminal: nothing, except
    /// that an updated display's single-line text replaces the current line.
    public func printUpdate(_ message: Message) {
        guard message.type == .updateDisplayData, isatty(STDOUT_FILENO) == 1,
            let text = (try? message.decode(DisplayContent.self))?.bundle.plainText,
            !text.contains("\n")
        else { return }
        write("\r\u{1B}[K" + text, .stdout)
    }

    /// Prints a warning line on standard error.
    public func printWarning(_ text: String) {
        write("trainbook: \(text)\n", .stderr)
    }
}
