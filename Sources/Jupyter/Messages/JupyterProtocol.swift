/// Constants of the Jupyter messaging protocol as this module implements it.
public enum JupyterProtocol {
    /// The protocol version in every header and in `kernel_info_reply`.
    public static let version = "5.4"
    /// The frame that separates routing identities from the message parts.
    public static let delimiter: [UInt8] = Array("<IDS|MSG>".utf8)
    /// The only signature scheme supported (and the protocol's default).
    public static let signatureScheme = "hmac-sha256"
}
