import Foundation
import KernelInterface
import Synchronization

/// One side of a conversation: a session id and user name stamped on every header it creates,
/// with message ids unique across processes ("<session prefix>_<pid>_<counter>").
///
/// ```swift
/// let session = MessageSession(username: "kernel")
/// let header = session.header(for: .status)
/// ```
public final class MessageSession: Sendable {
    /// The session id (a UUID).
    public let id: String
    /// The user name in every header.
    public let username: String
    private let idPrefix: String
    private let counter = Atomic<Int>(0)

    /// Creates a session with a fresh id.
    ///
    /// - Parameter username: the name in every header; defaults to `$USER` or "username".
    public init(username: String? = nil) {
        id = UUID().uuidString.lowercased()
        self.username = username ?? ProcessInfo.processInfo.environment["USER"] ?? "username"
        idPrefix = "\(id.prefix(8))_\(getpid())_"
    }

    /// A new header for a message of `type`.
    public func header(for type: MessageType) -> MessageHeader {
        header(forTypeNamed: type.rawValue)
    }

    /// A new header for a message type given by name (for replies to unknown request types).
    public func header(forTypeNamed type: String) -> MessageHeader {
        let number = counter.add(1, ordering: .relaxed).newValue
        return MessageHeader(
            messageId: idPrefix + String(number), session: id, username: username,
            date: Timestamp.now(),
            messageType: type, version: JupyterProtocol.version)
    }

    /// A new message of `type` answering or resulting from `parent`.
    public func message(
        _ type: MessageType, parent: MessageHeader?, content: JSONValue,
        metadata: [String: JSONValue] = [:]
    ) -> Message {
        Message(header: header(for: type), parent: parent, metadata: metadata, content: content)
    }
}
