import KernelInterface

/// One Jupyter message above the wire: header, parent header, metadata, content and buffers.
///
/// ```swift
/// let reply = Message(header: session.header(.kernelInfoReply), parent: request.header,
///                     content: ["status": "ok"])
/// ```
public struct Message: Sendable, Equatable {
    /// This message's header.
    public var header: MessageHeader
    /// The header of the message this one answers or results from; nil for none (`{}`).
    public var parentHeader: MessageHeader?
    /// Free-form metadata (an object).
    public var metadata: [String: JSONValue]
    /// The type-specific content (an object).
    public var content: JSONValue
    /// Extra binary buffers after the four JSON parts.
    public var buffers: [[UInt8]]

    /// Creates a message.
    public init(
        header: MessageHeader, parent: MessageHeader? = nil, metadata: [String: JSONValue] = [:],
        content: JSONValue = [:], buffers: [[UInt8]] = []
    ) {
        self.header = header
        self.parentHeader = parent
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    /// The known message type, or nil.
    public var type: MessageType? { header.type }
}
