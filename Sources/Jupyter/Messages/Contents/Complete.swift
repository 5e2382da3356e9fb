import KernelInterface

/// The content of `complete_request` and `inspect_request`: code and a cursor position
/// (in Unicode scalars), plus the detail level for inspection.
public struct CodeAtCursor: MessageContent, Equatable {
    /// The code being edited.
    public var code: String
    /// Cursor position in Unicode scalars; defaults to the end of the code.
    public var cursorPosition: Int
    /// 0 for a summary, 1 for more (inspection only).
    public var detailLevel: Int

    /// Creates the content.
    public init(code: String, cursorPosition: Int? = nil, detailLevel: Int = 0) {
        self.code = code
        self.cursorPosition = cursorPosition ?? code.unicodeScalars.count
        self.detailLevel = detailLevel
    }

    /// Reads the content; the cursor is clamped into the code.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        let code = try reader.string("code")
        let length = code.unicodeScalars.count
        let cursor = try reader.int("cursor_pos", default: length)
        self.init(
            code: code, cursorPosition: min(max(cursor, 0), length),
            detailLevel: try reader.int("detail_level", default: 0) == 0 ? 0 : 1)
    }

    /// The content as JSON.
    public var json: JSONValue {
        [
            "code": .string(code), "cursor_pos": .int(cursorPosition),
            "detail_level": .int(detailLevel),
        ]
    }
}

/// The content of `complete_reply`.
public struct CompleteReply: MessageContent, Equatable {
    /// The matches and the span they replace.
    public var result: CompletionResult

    /// Creates the reply.
    public init(_ result: CompletionResult) {
        self.result = result
    }

    /// Reads the reply (kinds and signatures from `_jupyter_types_experimental` when present).
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        let metadata = try reader.object("metadata")
        var details: [String: (kind: String, signature: String?)] = [:]
        for entry in metadata["_jupyter_types_experimental"]?.arrayValue ?? [] {
            guard let text = entry["text"]?.stringValue else { continue }
            details[text] = (entry["type"]?.stringValue ?? "", entry["signature"]?.stringValue)
        }
        let matches = try reader.strings("matches").map { text in
            CompletionMatch(
                text: text, kind: details[text]?.kind ?? "", signature: details[text]?.signature)
        }
        result = CompletionResult(
            matches: matches, cursorStart: try reader.int("cursor_start", default: 0),
            cursorEnd: try reader.int("cursor_end", default: 0))
    }

    /// The reply as JSON, with kinds and signatures in `_jupyter_types_experimental`.
    public var json: JSONValue {
        let types: [JSONValue] = result.matches.map { match in
            var entry: [String: JSONValue] = [
                "text": .string(match.text), "type": .string(match.kind),
                "start": .int(result.cursorStart), "end": .int(result.cursorEnd),
            ]
            if let signature = match.signature { entry["signature"] = .string(signature) }
            return .object(entry)
        }
        return [
            "status": "ok", "matches": .array(result.matches.map { .string($0.text) }),
            "cursor_start": .int(result.cursorStart), "cursor_end": .int(result.cursorEnd),
            "metadata": ["_jupyter_types_experimental": .array(types)],
        ]
    }
}

/// The content of `inspect_reply`.
public struct InspectReply: MessageContent, Equatable {
    /// The documentation found, or nil.
    public var bundle: MimeBundle?

    /// Creates the reply.
    public init(_ bundle: MimeBundle?) {
        self.bundle = bundle
    }

    /// Reads the reply.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        bundle =
            try reader.bool("found", default: false)
            ? MimeBundle(data: try reader.object("data"), metadata: try reader.object("metadata"))
            : nil
    }

    /// The reply as JSON.
    public var json: JSONValue {
        [
            "status": "ok", "found": .bool(bundle != nil), "data": .object(bundle?.data ?? [:]),
            "metadata": .object(bundle?.metadata ?? [:]),
        ]
    }
}

/// The content of `is_complete_request`.
public struct IsCompleteRequest: MessageContent, Equatable {
    /// The code typed so far.
    public var code: String

    /// Creates the request.
    public init(code: String) {
        self.code = code
    }

    /// Reads the request.
    public init(json: JSONValue) throws(JupyterError) {
        self.init(code: try ContentReader(json).string("code"))
    }

    /// The request as JSON.
    public var json: JSONValue { ["code": .string(code)] }
}

/// The content of `is_complete_reply`.
public struct IsCompleteReply: MessageContent, Equatable {
    /// The verdict.
    public var completeness: Completeness

    /// Creates the reply.
    public init(_ completeness: Completeness) {
        self.completeness = completeness
    }

    /// Reads the reply; an unknown status reads as `.unknown`.
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        switch try reader.string("status") {
        case "complete": completeness = .complete
        case "incomplete":
            completeness = .incomplete(indent: try reader.string("indent", default: ""))
        case "invalid": completeness = .invalid
        default: completeness = .unknown
        }
    }

    /// The reply as JSON (`indent` only for incomplete code).
    public var json: JSONValue {
        switch completeness {
        case .complete: return ["status": "complete"]
        case .incomplete(let indent): return ["status": "incomplete", "indent": .string(indent)]
        case .invalid: return ["status": "invalid"]
        case .unknown: return ["status": "unknown"]
        }
    }
}
