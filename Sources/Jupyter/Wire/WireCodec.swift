import KernelInterface

/// A message as received: who sent it (routing identities) and the message itself.
public struct ReceivedMessage: Sendable {
    /// ZeroMQ routing identities, to address the reply (the IOPub topic on a SUB socket).
    public var identities: [[UInt8]]
    /// The decoded message.
    public var message: Message
}

/// Why a multipart message could not be decoded, with whatever is known of its sender so that
/// the server can still answer with an error reply when the message was authentic.
public struct WireDecodingFailure: Error, Sendable {
    /// What was wrong.
    public var error: JupyterError
    /// The routing identities (empty when the frames were unusable).
    public var identities: [[UInt8]]
    /// The header, when the signature verified and the header parsed.
    public var header: MessageHeader?
}

/// Frames <-> messages: splits routing identities at `<IDS|MSG>`, verifies the HMAC signature
/// in constant time and rejects replays BEFORE any JSON is parsed, then decodes the four JSON
/// parts; and the reverse for sending.
///
/// The codec never touches a socket; it is tested in memory.
public struct WireCodec: Sendable {
    /// Signs outgoing and verifies incoming messages.
    public let signer: MessageSigner
    /// Signatures already accepted; nil disables replay detection (a client reading IOPub from
    /// several sockets may see one message twice).
    public let history: SignatureHistory?
    /// Messages whose parts add up to more bytes than this are rejected without parsing.
    public let maximumMessageBytes: Int

    /// Creates a codec.
    ///
    /// - Parameters:
    ///   - signer: the HMAC signer for the connection's key.
    ///   - history: replay memory, usually shared by all channels of one kernel.
    ///   - maximumMessageBytes: the size limit for incoming messages (default 256 MiB).
    public init(
        signer: MessageSigner, history: SignatureHistory? = SignatureHistory(),
        maximumMessageBytes: Int = 256 << 20
    ) {
        self.signer = signer
        self.history = history
        self.maximumMessageBytes = maximumMessageBytes
    }

    /// The frames of `message` addressed to `identities`.
    public func encode(_ message: Message, identities: [[UInt8]] = []) -> [[UInt8]] {
        let header = message.header.jsonBytes()
        let parent = message.parentHeader?.jsonBytes() ?? [UInt8(ascii: "{"), UInt8(ascii: "}")]
        let metadata = JSONValue.object(message.metadata).jsonBytes()
        let content = message.content.jsonBytes()
        let parts = [header, parent, metadata, content]
        var frames = identities
        frames.reserveCapacity(identities.count + 6 + message.buffers.count)
        frames.append(JupyterProtocol.delimiter)
        frames.append(signer.hexSignature(of: parts))
        frames.append(contentsOf: parts)
        frames.append(contentsOf: message.buffers)
        return frames
    }

    /// Decodes `frames`, checking in this order: the delimiter and part count, the signature, a
    /// replay, the size limit, the header, then the other parts.
    ///
    /// - Throws: `WireDecodingFailure` carrying the identities, and the header once it is known.
    public func decode(_ frames: [[UInt8]]) throws(WireDecodingFailure) -> ReceivedMessage {
        guard let delimiter = frames.firstIndex(of: JupyterProtocol.delimiter) else {
            throw WireDecodingFailure(
                error: .malformedFrames(
                    reason: "no <IDS|MSG> delimiter among \(frames.count) frames"),
                identities: [], header: nil)
        }
        let identities = Array(frames[..<delimiter])
        func failure(_ error: JupyterError, _ header: MessageHeader? = nil) -> WireDecodingFailure {
            WireDecodingFailure(error: error, identities: identities, header: header)
        }
        let afterDelimiter = frames.count - delimiter - 1
        guard afterDelimiter >= 5 else {
            throw failure(
                .malformedFrames(
                    reason: "\(afterDelimiter) frames after <IDS|MSG>, at least 5 needed"))
        }
        let signature = frames[delimiter + 1]
        let parts = Array(frames[(delimiter + 2)..<(delimiter + 6)])
        guard signer.verify(hexSignature: signature, of: parts) else {
            throw failure(.invalidSignature)
        }
        if signer.isEnabled, let history, !history.insert(signature) {
            throw failure(.replayedSignature)
        }

        let header: MessageHeader
        do {
            header = try MessageHeader(json: try JSONValue(parsing: parts[0]))
        } catch let error as JSONParsingError {
            throw failure(.invalidJSON(part: "header", error))
        } catch let error as JupyterError {
            throw failure(error)
        } catch {
            throw failure(.invalidJSON(part: "header", reason: "\(error)"))
        }
        let size = frames.reduce(0) { $0 + $1.count }
        guard size <= maximumMessageBytes else {
            throw failure(.oversizeMessage(bytes: size, limit: maximumMessageBytes), header)
        }
        let parent = try parseObject(
            parts[1], part: "parent_header", failure: { failure($0, header) })
        let metadata = try parseObject(parts[2], part: "metadata", failure: { failure($0, header) })
        let content = try parseObject(parts[3], part: "content", failure: { failure($0, header) })
        let parentHeader = parent.isEmpty ? nil : try? MessageHeader(json: .object(parent))
        let message = Message(
            header: header, parent: parentHeader, metadata: metadata, content: .object(content),
            buffers: Array(frames[(delimiter + 6)...]))
        return ReceivedMessage(identities: identities, message: message)
    }

    private func parseObject(
        _ bytes: [UInt8], part: String, failure: (JupyterError) -> WireDecodingFailure
    ) throws(WireDecodingFailure) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw failure(.invalidJSON(part: part, error))
        }
        guard let object = value.objectValue else {
            throw failure(.invalidJSON(part: part, reason: "not an object"))
        }
        return object
    }
}
