import KernelInterface

/// Everything that can go wrong in the Jupyter module, from a socket call to a notebook file.
///
/// Each case carries the context a user needs to act; `description` is the one place where the
/// user-facing text is written.
public enum JupyterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A libzmq call failed: which call, on what (an endpoint or socket role), and libzmq's reason.
    case socket(operation: String, target: String, reason: String)
    /// A connection file could not be read or does not describe a kernel.
    case connectionFile(path: String, reason: String)
    /// A connection file without a key (messages unsigned) on an address other machines can
    /// reach: refused unless explicitly allowed.
    case unsignedRemoteConnection(ip: String)
    /// The connection file asks for a signature scheme other than `hmac-sha256`.
    case unsupportedSignatureScheme(String)
    /// A multipart message without the `<IDS|MSG>` delimiter or with too few parts after it.
    case malformedFrames(reason: String)
    /// A message whose HMAC signature is missing or does not match the shared key.
    case invalidSignature
    /// A message whose signature was already seen: a replay, rejected.
    case replayedSignature
    /// A message larger than the configured limit, rejected before its JSON was parsed.
    case oversizeMessage(bytes: Int, limit: Int)
    /// One of the four JSON parts of a message is not valid JSON (or not an object).
    case invalidJSON(part: String, reason: String)
    /// A message whose content lacks a required field or has one of the wrong type.
    case invalidContent(messageType: String, field: String, expected: String)
    /// A message type this side does not handle on this channel.
    case unknownMessageType(String, channel: String)
    /// A file could not be read, written or renamed.
    case file(path: String, reason: String)
    /// No kernelspec with this name in any of the searched directories.
    case noSuchKernel(name: String, searched: [String])
    /// A kernelspec directory whose kernel.json is unusable.
    case invalidKernelSpec(path: String, reason: String)
    /// The kernel process could not be started.
    case kernelLaunch(reason: String)
    /// The kernel process exited while the client was waiting for it.
    case kernelDied(status: Int32)
    /// No answer from the kernel within the allowed time.
    case timeout(waitingFor: String, seconds: Double)
    /// A notebook file that is not nbformat 4 JSON.
    case invalidNotebook(path: String, reason: String)
    /// A command-line argument that cannot be understood.
    case usage(String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .socket(let operation, let target, let reason):
            return "ZeroMQ \(operation) failed for \(target): \(reason)"
        case .connectionFile(let path, let reason):
            return "connection file \(path): \(reason)"
        case .unsignedRemoteConnection(let ip):
            return "refusing to listen on \(ip) without a key: unsigned messages from any machine"
                + " that reaches it would run as code. Set a \"key\" in the connection file, use"
                + " 127.0.0.1, or allow it explicitly (trainbook kernel --allow-unsigned, or"
                + " TRAINBOOK_ALLOW_UNSIGNED=1)"
        case .unsupportedSignatureScheme(let scheme):
            return "signature scheme \"\(scheme)\" is not supported; use \"hmac-sha256\""
        case .malformedFrames(let reason):
            return "malformed message: \(reason)"
        case .invalidSignature:
            return "message signature does not match the connection key; message dropped"
        case .replayedSignature:
            return "message signature was already used (replayed message); message dropped"
        case .oversizeMessage(let bytes, let limit):
            return "message of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .invalidJSON(let part, let reason):
            return "message \(part) is not a JSON object: \(reason)"
        case .invalidContent(let messageType, let field, let expected):
            return "\(messageType): field \"\(field)\" must be \(expected)"
        case .unknownMessageType(let type, let channel):
            return "unknown message type \"\(type)\" on the \(channel) channel"
        case .file(let path, let reason):
            return "\(path): \(reason)"
        case .noSuchKernel(let name, let searched):
            return "no kernel named \"\(name)\"; looked in: \(searched.joined(separator: ", "))"
                + " (see `jupyter kernelspec list` or run `trainbook install`)"
        case .invalidKernelSpec(let path, let reason):
            return "kernelspec \(path): \(reason)"
        case .kernelLaunch(let reason):
            return "could not start the kernel: \(reason)"
        case .kernelDied(let status):
            return "the kernel exited unexpectedly (status \(status))"
        case .timeout(let waitingFor, let seconds):
            return "no \(waitingFor) from the kernel within \(seconds) s"
        case .invalidNotebook(let path, let reason):
            return "\(path) is not a valid notebook: \(reason)"
        case .usage(let text):
            return text
        }
    }
}

extension JupyterError {
    /// The error for a JSON part that failed to parse.
    static func invalidJSON(part: String, _ error: JSONParsingError) -> JupyterError {
        .invalidJSON(part: part, reason: error.description)
    }
}
