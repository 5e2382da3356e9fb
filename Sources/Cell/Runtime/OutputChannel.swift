import Dispatch
import KernelInterface
import Synchronization

/// Where a running cell's output goes: stream text is buffered and handed to the sink in
/// chunks (a loop of a million `print`s must not become a million messages).
///
/// Buffered text is handed over when the stream changes, before anything else is shown, when
/// `flushSize` bytes wait, when the cell ends, and by a timer at most `flushInterval` after it
/// was written, whatever the cell does meanwhile: a `print("loading…")` followed by minutes of
/// computation shows at once.
///
/// The cell's thread writes; the timer flushes from a dispatch queue. Text reaches the sink
/// only under the lock, so the sink receives it in order and never from two threads at once.
package final class OutputChannel: Sendable {
    private struct State {
        var sink: (any OutputSink)?
        var pending = ""
        var pendingStream = StandardStream.stdout
        /// Whether a timer flush is scheduled (one at a time, however many writes).
        var isTimerArmed = false
    }

    private let state = Mutex(State())
    /// The longest time printed text waits in the buffer.
    let flushInterval: Swift.Duration
    /// Text is handed over at once when this many bytes wait.
    static let flushSize = 1 << 16
    private static let timerQueue = DispatchQueue(label: "trainbook.output-flush")

    /// Creates a channel that holds text at most `flushInterval`.
    init(flushInterval: Swift.Duration = .milliseconds(50)) {
        self.flushInterval = flushInterval
    }

    /// The sink of the cell that runs now; nil between cells.
    var sink: (any OutputSink)? {
        get { state.withLock { $0.sink } }
        set { state.withLock { $0.sink = newValue } }
    }

    /// Appends text to a stream.
    func write(_ text: String, to stream: StandardStream) {
        guard !text.isEmpty else { return }
        let armsTimer = state.withLock { state in
            guard state.sink != nil else { return false }
            if stream != state.pendingStream { Self.handOver(&state) }
            state.pendingStream = stream
            state.pending += text
            if state.pending.utf8.count >= Self.flushSize {
                Self.handOver(&state)
                return false
            }
            guard !state.isTimerArmed else { return false }
            state.isTimerArmed = true
            return true
        }
        if armsTimer { scheduleFlush() }
    }

    /// Hands buffered text to the sink.
    package func flush() {
        state.withLock { Self.handOver(&$0) }
    }

    func display(_ bundle: MimeBundle, id: String?) {
        flushedSink()?.display(bundle, id: id)
    }

    func updateDisplay(_ bundle: MimeBundle, id: String) {
        flushedSink()?.updateDisplay(bundle, id: id)
    }

    func clearOutput(wait: Bool) {
        flushedSink()?.clearOutput(wait: wait)
    }

    func page(_ bundle: MimeBundle) {
        flushedSink()?.page(bundle)
    }

    package func readInput(prompt: String, password: Bool) throws(CellError) -> String {
        guard let sink = flushedSink() else {
            throw .input("this front end does not accept input")
        }
        do throws(InputError) {
            return try sink.readInput(prompt: prompt, password: password)
        } catch {
            switch error {
            case .notAllowed:
                throw .input("this front end does not accept input (readLine needs allow_stdin)")
            case .interrupted:
                throw .interrupted
            }
        }
    }

    // MARK: - Flushing

    /// Flushes the buffered text and returns the sink, for a call that must follow the text.
    private func flushedSink() -> (any OutputSink)? {
        state.withLock { state in
            Self.handOver(&state)
            return state.sink
        }
    }

    /// Sends the buffered text to the sink; called with the lock held.
    private static func handOver(_ state: inout State) {
        guard !state.pending.isEmpty else { return }
        let text = state.pending
        state.pending = ""
        state.sink?.write(text, to: state.pendingStream)
    }

    private func scheduleFlush() {
        let (seconds, attoseconds) = flushInterval.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        Self.timerQueue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
            [weak self] in
            self?.timerFired()
        }
    }

    private func timerFired() {
        state.withLock { state in
            state.isTimerArmed = false
            Self.handOver(&state)
        }
    }
}
