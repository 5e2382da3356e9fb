import JSON

/// A value rendered for display: one representation per MIME type, plus per-type metadata.
///
/// Every bundle a language produces carries `text/plain`; richer front ends pick `text/html`,
/// `image/svg+xml` or `image/png` (base64) when present.
///
/// ```swift
/// var bundle = MimeBundle(plainText: "Sequential(3 layers)")
/// bundle[.html] = "<table>…</table>"
/// ```
public struct MimeBundle: Sendable, Hashable {
    /// Representations keyed by MIME type, as sent in `data` of `execute_result` and `display_data`.
    public var data: [String: JSONValue]
    /// Per-MIME-type metadata (for example image `width` and `height`), as sent in `metadata`.
    public var metadata: [String: JSONValue]

    /// Creates a bundle from raw representations and metadata.
    public init(data: [String: JSONValue], metadata: [String: JSONValue] = [:]) {
        self.data = data
        self.metadata = metadata
    }

    /// Creates a bundle holding only a `text/plain` representation.
    public init(plainText: String) {
        self.init(data: [MimeType.plainText.rawValue: .string(plainText)])
    }

    /// The textual representation for `type`, if present and a string.
    public subscript(type: MimeType) -> String? {
        get { data[type.rawValue]?.stringValue }
        set { data[type.rawValue] = newValue.map { .string($0) } }
    }

    /// The `text/plain` representation, which every bundle should carry.
    public var plainText: String? { self[.plainText] }
}

/// The MIME types Trainbook produces.
public enum MimeType: String, Sendable, CaseIterable {
    case plainText = "text/plain"
    case html = "text/html"
    case markdown = "text/markdown"
    case svg = "image/svg+xml"
    case png = "image/png"
    case json = "application/json"
}
