/// The language and implementation facts reported in `kernel_info_reply`.
public struct InterpreterInfo: Sendable, Equatable {
    /// Name of the implementation, e.g. "trainbook".
    public var implementation: String
    /// Version of the implementation.
    public var implementationVersion: String
    /// The `language_info` dictionary: name, version, mimetype, file_extension, pygments_lexer,
    /// codemirror_mode and any extra keys.
    public var languageInfo: LanguageInfo
    /// Text shown by consoles at start-up.
    public var banner: String
    /// Links shown in the front end's Help menu.
    public var helpLinks: [HelpLink]

    /// Creates an info record.
    public init(
        implementation: String, implementationVersion: String, languageInfo: LanguageInfo,
        banner: String, helpLinks: [HelpLink] = []
    ) {
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.languageInfo = languageInfo
        self.banner = banner
        self.helpLinks = helpLinks
    }
}

/// The `language_info` of `kernel_info_reply`.
public struct LanguageInfo: Sendable, Equatable {
    /// Language name, e.g. "swift".
    public var name: String
    /// Language version.
    public var version: String
    /// MIME type of a source file, e.g. "text/x-swift".
    public var mimetype: String
    /// File extension including the dot, e.g. ".swift".
    public var fileExtension: String
    /// Pygments lexer used by nbconvert to highlight code.
    public var pygmentsLexer: String
    /// CodeMirror mode used by Notebook and Lab to highlight code.
    public var codemirrorMode: String

    /// Creates a language record.
    public init(
        name: String, version: String, mimetype: String, fileExtension: String,
        pygmentsLexer: String, codemirrorMode: String
    ) {
        self.name = name
        self.version = version
        self.mimetype = mimetype
        self.fileExtension = fileExtension
        self.pygmentsLexer = pygmentsLexer
        self.codemirrorMode = codemirrorMode
    }
}

/// One entry of `help_links`.
public struct HelpLink: Sendable, Equatable {
    /// Menu text.
    public var text: String
    /// Target address.
    public var url: String

    /// Creates a help link.
    public init(text: String, url: String) {
        self.text = text
        self.url = url
    }
}
