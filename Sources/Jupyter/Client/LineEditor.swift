import KernelInterface

#if canImport(Glibc)
    import Glibc
#endif

/// A small line editor for the console: cursor movement, history (up/down), completion (Tab),
/// Ctrl-C to abandon the line and Ctrl-D to quit. The terminal is in raw mode only while a line
/// is read, so Ctrl-C during execution is a signal (which interrupts the kernel).
///
/// When standard input is not a terminal, lines are read plainly.
///
/// ```swift
/// let editor = LineEditor()
/// if case .line(let text) = editor.readLine(prompt: "In [1]: ") { ... }
/// ```
public final class LineEditor {
    /// How reading a line ended.
    public enum Outcome: Equatable, Sendable {
        /// The user pressed Enter.
        case line(String)
        /// The user pressed Ctrl-C.
        case interrupted
        /// The user pressed Ctrl-D on an empty line, or input ended.
        case endOfInput
    }

    /// Completions for `text` with the cursor at `cursor` (Unicode scalars): the matches and
    /// the scalar range they replace.
    public typealias Completer = (_ text: String, _ cursor: Int) -> (
        matches: [String], start: Int, end: Int
    )

    /// Earlier lines, oldest first.
    public var history: [String]
    /// Called on Tab.
    public var completer: Completer?
    private let write: (String) -> Void

    /// Creates an editor.
    public init(
        history: [String] = [],
        write: @escaping (String) -> Void = { OutputPrinter.standardOutput($0, .stdout) }
    ) {
        self.history = history
        self.write = write
    }

    /// Whether standard input is a terminal.
    public var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// Reads one line after `prompt`, starting with `initial` text (an indent).
    public func readLine(prompt: String, initial: String = "", hidden: Bool = false) -> Outcome {
        guard isInteractive, var saved = RawMode.enter() else {
            // From a pipe: echo what was read, so the transcript shows the input.
            write(prompt)
            guard let line = Swift.readLine(strippingNewline: true) else {
                write("\n")
                return .endOfInput
            }
            write((hidden ? "" : line) + "\n")
            return .line(line)
        }
        defer { RawMode.leave(&saved) }
        var state = EditState(buffer: Array(initial), historyIndex: history.count)
        redraw(prompt, state, hidden: hidden)
        while let key = KeyReader.next() {
            switch key {
            case .enter:
                write("\r\n")
                let line = String(state.buffer)
                if !hidden, !line.allSatisfy(\.isWhitespace), history.last != line {
                    history.append(line)
                }
                return .line(line)
            case .controlC:
                write("^C\r\n")
                return .interrupted
            case .controlD where state.buffer.isEmpty:
                write("\r\n")
                return .endOfInput
            case .tab where !hidden:
                complete(&state, prompt: prompt)
            default:
                state.apply(key, history: history)
            }
            redraw(prompt, state, hidden: hidden)
        }
        return .endOfInput
    }

    private func redraw(_ prompt: String, _ state: EditState, hidden: Bool) {
        let shown = hidden ? "" : String(state.buffer)
        let back = hidden ? 0 : state.buffer.count - state.cursor
        write("\r" + prompt + shown + "\u{1B}[K" + (back > 0 ? "\u{1B}[\(back)D" : ""))
    }

    private func complete(_ state: inout EditState, prompt: String) {
        guard let completer else { return }
        let text = String(state.buffer)
        let cursor = String(state.buffer[..<state.cursor]).unicodeScalars.count
        let (matches, start, end) = completer(text, cursor)
        guard !matches.isEmpty else { return }
        let scalars = Array(text.unicodeScalars)
        guard 0 <= start, start <= end, end <= scalars.count else { return }
        let replacement = matches.count == 1 ? matches[0] : LineEditor.commonPrefix(matches)
        if matches.count > 1 { write("\r\n" + matches.prefix(60).joined(separator: "  ") + "\r\n") }
        var before = String.UnicodeScalarView(scalars[..<start])
        before.append(contentsOf: replacement.unicodeScalars)
        let after = String(String.UnicodeScalarView(scalars[end...]))
        let head = String(before)
        state.buffer = Array(head + after)
        state.cursor = head.count
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
