import Foundation
import KernelInterface

/// One cell of a notebook: its kind, id, source and, for code cells, outputs and count.
public struct NotebookCell: Sendable, Equatable {
    /// The three nbformat cell types.
    public enum Kind: String, Sendable {
        /// Code run by the kernel.
        case code
        /// Markdown text.
        case markdown
        /// Raw text passed through.
        case raw
    }

    /// The cell id (kept when read; nbformat 4.5).
    public var id: String
    /// The cell type.
    public var kind: Kind
    /// The source text.
    public var source: String
    /// Cell metadata.
    public var metadata: [String: JSONValue]
    /// nbformat output objects (code cells), multi-line strings joined.
    public var outputs: [JSONValue]
    /// The execution count (code cells), nil before running.
    public var executionCount: Int?
    /// Other fields, kept as read (e.g. attachments).
    public var extra: [String: JSONValue]

    /// Creates a cell.
    public init(
        kind: Kind, source: String, id: String = NotebookCell.newId(),
        metadata: [String: JSONValue] = [:],
        outputs: [JSONValue] = [], executionCount: Int? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.kind = kind
        self.source = source
        self.metadata = metadata
        self.outputs = outputs
        self.executionCount = executionCount
        self.extra = extra
    }

    /// A fresh cell id: 8 lowercase hex digits, as nbformat makes them.
    public static func newId() -> String {
        String(UUID().uuidString.lowercased().filter { $0 != "-" }.prefix(8))
    }

    /// Reads a cell.
    ///
    /// - Throws: `JupyterError.invalidNotebook` naming the cell.
    public init(json: JSONValue, path: String) throws(JupyterError) {
        guard var fields = json.objectValue else {
            throw JupyterError.invalidNotebook(path: path, reason: "not an object")
        }
        guard
            let kind = fields.removeValue(forKey: "cell_type")?.stringValue.flatMap(
                Kind.init(rawValue:))
        else {
            throw JupyterError.invalidNotebook(
                path: path, reason: "\"cell_type\" must be code, markdown or raw")
        }
        guard let source = NotebookCell.joined(fields.removeValue(forKey: "source") ?? "") else {
            throw JupyterError.invalidNotebook(
                path: path, reason: "\"source\" must be a string or a list of strings")
        }
        let id = fields.removeValue(forKey: "id")?.stringValue ?? ""
        let metadata = fields.removeValue(forKey: "metadata")?.objectValue ?? [:]
        let outputs = (fields.removeValue(forKey: "outputs")?.arrayValue ?? []).map(
            NotebookCell.joinedOutput)
        let count = fields.removeValue(forKey: "execution_count")?.intValue
        self.init(
            kind: kind, source: source, id: NotebookCell.isValidId(id) ? id : "",
            metadata: metadata, outputs: outputs,
            executionCount: count, extra: fields)
    }

    /// The cell as nbformat 4.5 JSON, multi-line strings split into lines.
    public var json: JSONValue {
        var fields = extra
        fields["id"] = .string(id)
        fields["cell_type"] = .string(kind.rawValue)
        fields["metadata"] = .object(metadata)
        fields["source"] = NotebookCell.lines(source)
        if kind == .code {
            fields["outputs"] = .array(outputs.map(NotebookCell.splitOutput))
            fields["execution_count"] = executionCount.map { .int($0) } ?? .null
        }
        return .object(fields)
    }

    // MARK: - Multi-line strings

    /// nbformat's rule for ids: 1 to 64 letters, digits, '-' and '_'.
    static func isValidId(_ id: String) -> Bool {
        (1...64).contains(id.count)
            && id.allSatisfy {
                $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_")
            }
    }

    /// A string, or a list of strings joined; nil for anything else.
    static func joined(_ value: JSONValue) -> String? {
        if let string = value.stringValue { return string }
        guard let parts = value.arrayValue else { return nil }
        var text = ""
        for part in parts {
            guard let string = part.stringValue else { return nil }
            text += string
        }
        return text
    }

    /// `text` as nbformat writes it: a list of lines, each keeping its newline.
    static func lines(_ text: String) -> JSONValue {
        var lines: [JSONValue] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" || character == "\r\n" {
                lines.append(.string(current))
                current = ""
            }
        }
        if !current.isEmpty { lines.append(.string(current)) }
        return .array(lines)
    }

    /// Whether a MIME type's value is text that nbformat splits into lines.
    static func isMultilineText(_ mimeType: String) -> Bool {
        mimeType.hasPrefix("text/") || mimeType == "image/svg+xml"
    }

    /// An output with its multi-line strings joined.
    static func joinedOutput(_ output: JSONValue) -> JSONValue {
        mapOutputText(output) { .string(joined($0) ?? "") }
    }

    /// An output with its multi-line strings split into lines.
    static func splitOutput(_ output: JSONValue) -> JSONValue {
        mapOutputText(output) { value in value.stringValue.map(lines) ?? value }
    }

    private static func mapOutputText(_ output: JSONValue, _ transform: (JSONValue) -> JSONValue)
        -> JSONValue
    {
        guard var fields = output.objectValue else { return output }
        if let text = fields["text"], fields["output_type"] == "stream" {
            fields["text"] = transform(text)
        }
        if var data = fields["data"]?.objectValue {
            for (mimeType, value) in data
            where isMultilineText(mimeType) && (value.stringValue != nil || value.arrayValue != nil)
            {
                data[mimeType] = transform(value)
            }
            fields["data"] = .object(data)
        }
        return .object(fields)
    }
}
