/// The answer to a completion request.
///
/// `cursorStart` and `cursorEnd` are Unicode scalar offsets into the code: the span that each
/// match replaces.
public struct CompletionResult: Sendable, Equatable {
    /// Candidates, most relevant first.
    public var matches: [CompletionMatch]
    /// Start of the replaced span (Unicode scalar offset).
    public var cursorStart: Int
    /// End of the replaced span (Unicode scalar offset).
    public var cursorEnd: Int

    /// Creates a result.
    public init(matches: [CompletionMatch], cursorStart: Int, cursorEnd: Int) {
        self.matches = matches
        self.cursorStart = cursorStart
        self.cursorEnd = cursorEnd
    }

    /// No completions, with an empty span at `cursor`.
    public static func none(at cursor: Int) -> CompletionResult {
        CompletionResult(matches: [], cursorStart: cursor, cursorEnd: cursor)
    }
}

/// One completion candidate. `kind` and `signature` feed the front end's
/// `_jupyter_types_experimental` metadata (JupyterLab shows them beside each match).
public struct CompletionMatch: Sendable, Equatable {
    /// The text that replaces the span.
    public var text: String
    /// What the candidate is: "variable", "function", "keyword", "member", "type", "path", ….
    public var kind: String
    /// A signature, for functions and methods.
    public var signature: String?

    /// Creates a candidate.
    public init(text: String, kind: String, signature: String? = nil) {
        self.text = text
        self.kind = kind
        self.signature = signature
    }
}

/// The answer to an `is_complete_request`.
public enum Completeness: Sendable, Equatable {
    /// The cell can run as it is.
    case complete
    /// More lines are expected; `indent` is the suggested indentation for the next line.
    case incomplete(indent: String)
    /// The cell can never become valid by adding lines.
    case invalid
    /// The interpreter cannot tell.
    case unknown
}
