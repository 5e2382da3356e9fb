import KernelInterface

/// `display`, `update` and `clearOutput`: rich output while a cell runs.
extension Builtins {
    static func installDisplay(into registry: Registry) {
        let displayID = Param<String?>.optional("id")
        let value = Param<Value>.positional("value")
        registry.function(
            "display",
            doc: """
                Shows a value now, with its richest form (HTML tables, SVG charts, …). With an \
                `id`, a later `update(id:, value)` replaces it in place.
                """,
            parameters: [value, displayID]
        ) { arguments in
            arguments.session.display(
                arguments.session.bundle(for: try arguments[value]), id: try arguments[displayID])
            return .void
        }
        let kinds: [(label: String, mime: MimeType, what: String)] = [
            ("html", .html, "HTML"), ("markdown", .markdown, "Markdown"), ("svg", .svg, "SVG"),
        ]
        for kind in kinds {
            let content = Param<String>.labelled(kind.label)
            registry.function(
                "display",
                doc: "Shows \(kind.what) now: `display(\(kind.label): \"…\")`.",
                parameters: [content, displayID]
            ) { arguments in
                let text = try arguments[content]
                arguments.session.display(
                    bundle(text, as: kind.mime), id: try arguments[displayID])
                return .void
            }
        }
        let mime = Param<String>.labelled("mime")
        let data = Param<String>.positional("data")
        registry.function(
            "display",
            doc: "Shows data of any MIME type: `display(mime: \"text/latex\", \"$x^2$\")`.",
            parameters: [mime, data, displayID]
        ) { arguments in
            var shown = MimeBundle(plainText: try arguments[data])
            shown.data[try arguments[mime]] = .string(try arguments[data])
            arguments.session.display(shown, id: try arguments[displayID])
            return .void
        }
        let updatedID = Param<String>.labelled("id")
        registry.function(
            "update",
            doc: "Replaces the display shown with `id` by a new value.",
            parameters: [updatedID, value]
        ) { arguments in
            arguments.session.updateDisplay(
                arguments.session.bundle(for: try arguments[value]), id: try arguments[updatedID])
            return .void
        }
        for kind in kinds {
            let content = Param<String>.labelled(kind.label)
            registry.function(
                "update",
                doc: "Replaces the display shown with `id` by new \(kind.what).",
                parameters: [updatedID, content]
            ) { arguments in
                arguments.session.updateDisplay(
                    bundle(try arguments[content], as: kind.mime), id: try arguments[updatedID])
                return .void
            }
        }
        let wait = Param<Bool>.labelled("wait", default: false)
        registry.function(
            "clearOutput",
            doc: "Clears the cell's output; with `wait: true`, only when new output arrives.",
            parameters: [wait]
        ) { arguments in
            arguments.session.output.clearOutput(wait: try arguments[wait])
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
