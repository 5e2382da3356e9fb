import KernelInterface

/// `display`, `update` and `clearOutput`: rich output while a cell runs.
extension Builtins {
    static func installDisplay(into registry: Registry) {
        let idParameter = Parameter.labelled("id", type: "String?", default: .nilValue)
        registry.function(
            "display",
            doc: """
                Shows a value now, with its richest form (HTML tables, SVG charts, …). With an \
                `id`, a later `update(id:, value)` replaces it in place.
                """,
            parameters: [.positional("value"), idParameter]
        ) { arguments in
            arguments.session.display(
                arguments.session.bundle(for: arguments[0]), id: arguments.optional(1)?.stringText)
            return .void
        }
        let kinds: [(label: String, mime: MimeType, what: String)] = [
            ("html", .html, "HTML"), ("markdown", .markdown, "Markdown"), ("svg", .svg, "SVG"),
        ]
        for kind in kinds {
            registry.function(
                "display",
                doc: "Shows \(kind.what) now: `display(\(kind.label): \"…\")`.",
                parameters: [.labelled(kind.label, type: "String"), idParameter]
            ) { arguments in
                let text = try arguments.string(0)
                arguments.session.display(
                    bundle(text, as: kind.mime), id: arguments.optional(1)?.stringText)
                return .void
            }
        }
        registry.function(
            "display",
            doc: "Shows data of any MIME type: `display(mime: \"text/latex\", \"$x^2$\")`.",
            parameters: [
                .labelled("mime", type: "String"), .positional("data", type: "String"), idParameter,
            ]
        ) { arguments in
            var shown = MimeBundle(plainText: try arguments.string(1))
            shown.data[try arguments.string(0)] = .string(try arguments.string(1))
            arguments.session.display(shown, id: arguments.optional(2)?.stringText)
            return .void
        }
        registry.function(
            "update",
            doc: "Replaces the display shown with `id` by a new value.",
            parameters: [.labelled("id", type: "String"), .positional("value")]
        ) { arguments in
            arguments.session.updateDisplay(
                arguments.session.bundle(for: arguments[1]), id: try arguments.string(0))
            return .void
        }
        for kind in kinds {
            registry.function(
                "update",
                doc: "Replaces the display shown with `id` by new \(kind.what).",
                parameters: [
                    .labelled("id", type: "String"), .labelled(kind.label, type: "String"),
                ]
            ) { arguments in
                arguments.session.updateDisplay(
                    bundle(try arguments.string(1), as: kind.mime), id: try arguments.string(0))
                return .void
            }
        }
        registry.function(
            "clearOutput",
            doc: "Clears the cell's output; with `wait: true`, only when new output arrives.",
            parameters: [.labelled("wait", type: "Bool", default: .bool(false))]
        ) { arguments in
            arguments.session.output.clearOutput(wait: try arguments.bool(0))
            return .void
        }
    }

    private static func bundle(_ text: String, as mime: MimeType) -> MimeBundle {
        var bundle = MimeBundle(plainText: mime == .markdown ? text : "<\(mime.rawValue) output>")
        bundle[mime] = text
        return bundle
    }
}

extension Value {
    /// The text of a string value, or its description.
    package var stringText: String {
        if case .string(let text) = self { return text }
        return debugText
    }
}
