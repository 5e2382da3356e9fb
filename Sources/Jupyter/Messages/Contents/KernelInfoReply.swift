import KernelInterface

/// The content of `kernel_info_reply`: protocol version, implementation and language facts.
public struct KernelInfoReply: MessageContent, Equatable {
    /// The protocol version this kernel speaks.
    public var protocolVersion: String
    /// The implementation and language facts.
    public var info: InterpreterInfo
    /// The `language_info` object exactly as received (kernels such as ipykernel send extra
    /// keys and an object for `codemirror_mode`); nil for a reply built here.
    public var receivedLanguageInfo: JSONValue?

    /// Creates a reply.
    public init(protocolVersion: String = JupyterProtocol.version, info: InterpreterInfo) {
        self.protocolVersion = protocolVersion
        self.info = info
    }

    /// Reads a reply; missing language fields read as "".
    public init(json: JSONValue) throws(JupyterError) {
        let reader = try ContentReader(json)
        let language = try ContentReader(.object(try reader.object("language_info")))
        var links: [HelpLink] = []
        for link in try reader.array("help_links") {
            let linkReader = try ContentReader(link)
            links.append(
                HelpLink(
                    text: try linkReader.string("text", default: ""),
                    url: try linkReader.string("url", default: "")))
        }
        protocolVersion = try reader.string("protocol_version", default: "")
        info = InterpreterInfo(
            implementation: try reader.string("implementation", default: ""),
            implementationVersion: try reader.string("implementation_version", default: ""),
            languageInfo: LanguageInfo(
                name: try language.string("name", default: ""),
                version: try language.string("version", default: ""),
                mimetype: try language.string("mimetype", default: ""),
                fileExtension: try language.string("file_extension", default: ""),
                pygmentsLexer: try language.string("pygments_lexer", default: ""),
                codemirrorMode: KernelInfoReply.codemirrorMode(language.fields["codemirror_mode"])),
            banner: try reader.string("banner", default: ""), helpLinks: links)
        receivedLanguageInfo = .object(language.fields)
    }

    /// A CodeMirror mode given as a name or as an object with a `name`.
    private static func codemirrorMode(_ value: JSONValue?) -> String {
        value?.stringValue ?? value?["name"]?.stringValue ?? ""
    }

    /// The reply as JSON, with `status: "ok"`, `debugger: false` and no optional features.
    public var json: JSONValue {
        let language = info.languageInfo
        return [
            "status": "ok",
            "protocol_version": .string(protocolVersion),
            "implementation": .string(info.implementation),
            "implementation_version": .string(info.implementationVersion),
            "language_info": [
                "name": .string(language.name),
                "version": .string(language.version),
                "mimetype": .string(language.mimetype),
                "file_extension": .string(language.fileExtension),
                "pygments_lexer": .string(language.pygmentsLexer),
                "codemirror_mode": .string(language.codemirrorMode),
            ],
            "banner": .string(info.banner),
            "help_links": .array(
                info.helpLinks.map { ["text": .string($0.text), "url": .string($0.url)] }),
            "debugger": false,
            "supported_features": [],
        ]
    }
}
