import Dispatch
import KernelInterface

/// Where a running cell's output goes: stream text is buffered and handed to the sink in
/// chunks (a loop of a million `print`s must not become a million messages), flushed when the
/// stream changes, before anything else is shown, every 50 ms, and when the cell ends.
package final class OutputChannel {
    /// The sink of the cell that runs now; nil between cells.
    var sink: (any OutputSink)?
    private var pending = ""
    private var pendingStream = StandardStream.stdout
    private var firstPendingTime: UInt64 = 0
    private static let flushInterval: UInt64 = 50_000_000
    private static let flushSize = 1 << 16

    /// Appends text to a stream.
    func write(_ text: String, to stream: StandardStream) {
        guard sink != nil, !text.isEmpty else { return }
        if stream != pendingStream { flush() }
        if pending.isEmpty { firstPendingTime = DispatchTime.now().uptimeNanoseconds }
        pendingStream = stream
        pending += text
        if pending.utf8.count >= OutputChannel.flushSize
            || DispatchTime.now().uptimeNanoseconds - firstPendingTime
                >= OutputChannel.flushInterval
        {
            flush()
        }
    }

    /// Hands buffered text to the sink.
    package func flush() {
        guard !pending.isEmpty else { return }
        let text = pending
        pending = ""
        sink?.write(text, to: pendingStream)
    }

    func display(_ bundle: MimeBundle, id: String?) {
        flush()
        sink?.display(bundle, id: id)
    }

    func updateDisplay(_ bundle: MimeBundle, id: String) {
        flush()
        sink?.updateDisplay(bundle, id: id)
    }

    func clearOutput(wait: Bool) {
        flush()
        sink?.clearOutput(wait: wait)
    }

    func page(_ bundle: MimeBundle) {
        flush()
        sink?.page(bundle)
    }

    func readInput(prompt: String, password: Bool) throws(CellError) -> String {
        flush()
        guard let sink else { throw .input("this front end does not accept input") }
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
}
