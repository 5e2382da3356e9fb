import KernelInterface
import Synchronization

/// The `OutputSink` of one execute request: stream text, displays and clears go to IOPub with
/// the request as parent (nothing for a silent request), pages are kept for the reply, input
/// is asked on the stdin channel.
final class KernelOutputSink: OutputSink {
    private let publisher: IOPubPublisher
    private let session: MessageSession
    private let parent: MessageHeader
    private let isSilent: Bool
    private let input: InputSource?
    private let collectedPages = Mutex<[MimeBundle]>([])

    init(
        publisher: IOPubPublisher, session: MessageSession, parent: MessageHeader, isSilent: Bool,
        input: InputSource?
    ) {
        self.publisher = publisher
        self.session = session
        self.parent = parent
        self.isSilent = isSilent
        self.input = input
    }

    /// The bundles sent to the pager, in order.
    var pages: [MimeBundle] { collectedPages.withLock { $0 } }

    func write(_ text: String, to stream: StandardStream) {
        guard !isSilent else { return }
        publisher.write(text, to: stream, parent: parent)
    }

    func display(_ bundle: MimeBundle, id: String?) {
        publish(.displayData, DisplayContent(bundle: bundle, displayId: id).json)
    }

    func updateDisplay(_ bundle: MimeBundle, id: String) {
        publish(.updateDisplayData, DisplayContent(bundle: bundle, displayId: id).json)
    }

    func clearOutput(wait: Bool) {
        publish(.clearOutput, ClearOutputContent(wait: wait).json)
    }

    func page(_ bundle: MimeBundle) {
        collectedPages.withLock { $0.append(bundle) }
    }

    func readInput(prompt: String, password: Bool) throws(InputError) -> String {
        guard let input else { throw InputError.notAllowed }
        return try input.readLine(prompt: prompt, password: password)
    }

    private func publish(_ type: MessageType, _ content: JSONValue) {
        guard !isSilent else { return }
        publisher.publish(session.message(type, parent: parent, content: content))
    }
}
