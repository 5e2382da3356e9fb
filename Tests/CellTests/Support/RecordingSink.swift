import KernelInterface
import Synchronization

/// An output sink that records everything a cell sends, for assertions.
final class RecordingSink: OutputSink {
    /// One thing the cell sent.
    enum Event: Equatable {
        case stream(StandardStream, String)
        case display(MimeBundle, id: String?)
        case update(MimeBundle, id: String)
        case clear(wait: Bool)
        case page(MimeBundle)
    }

    private let recorded = Mutex<[Event]>([])
    private let inputs = Mutex<[String]>([])

    /// Lines `readInput` answers with, in order; when they run out, input is not allowed.
    init(inputs: [String] = []) {
        self.inputs.withLock { $0 = inputs }
    }

    var events: [Event] { recorded.withLock { $0 } }

    /// Everything written to `stream`, concatenated.
    func text(_ stream: StandardStream = .stdout) -> String {
        events.compactMap { event in
            if case .stream(stream, let text) = event { return text }
            return nil
        }.joined()
    }

    func write(_ text: String, to stream: StandardStream) {
        recorded.withLock { $0.append(.stream(stream, text)) }
    }

    func display(_ bundle: MimeBundle, id: String?) {
        recorded.withLock { $0.append(.display(bundle, id: id)) }
    }

    func updateDisplay(_ bundle: MimeBundle, id: String) {
        recorded.withLock { $0.append(.update(bundle, id: id)) }
    }

    func clearOutput(wait: Bool) {
        recorded.withLock { $0.append(.clear(wait: wait)) }
    }

    func page(_ bundle: MimeBundle) {
        recorded.withLock { $0.append(.page(bundle)) }
    }

    func readInput(prompt: String, password: Bool) throws(InputError) -> String {
        let next: String? = inputs.withLock { queue in queue.isEmpty ? nil : queue.removeFirst() }
        guard let next else { throw .notAllowed }
        return next
    }
}
