import KernelInterface

/// `print`, `debugPrint`, `readLine` and the standard streams.
extension Builtins {
    static func installOutput(into registry: Registry) {
        let streamType = registry.type(
            StandardStream.self, name: "TextOutputStream", kind: .value,
            doc: "A standard output stream: `standardOutput` or `standardError`."
        ) { type in
            type.description { $0 == .stderr ? "standardError" : "standardOutput" }
        }
        registry.constant(
            "standardError", doc: "The standard error stream: `print(\"…\", to: &standardError)`.",
            .host(HostObject(type: streamType, payload: StandardStream.stderr)))
        registry.constant(
            "standardOutput", doc: "The standard output stream.",
            .host(HostObject(type: streamType, payload: StandardStream.stdout)))

        let printParameters: [Parameter] = [
            .variadic("items"),
            .labelled("separator", type: "String", default: .string(" ")),
            .labelled("terminator", type: "String", default: .string("\n")),
            Parameter(
                label: "to", name: "output", type: "TextOutputStream", defaultValue: .nilValue,
                acceptsInout: true, defaultDescription: "&standardOutput"),
        ]
        registry.function(
            "print",
            doc: """
                Writes the items' text forms to standard output, separated by `separator` and \
                followed by `terminator`.

                `print(a, b, separator: ", ")`; `print("warning", to: &standardError)` writes \
                to standard error.
                """,
            parameters: printParameters
        ) { arguments in
            try write(arguments, debug: false)
        }
        registry.function(
            "debugPrint",
            doc:
                "Like `print`, with strings quoted and escaped: `debugPrint(\"a\\n\")` shows \"a\\n\".",
            parameters: printParameters
        ) { arguments in
            try write(arguments, debug: true)
        }
        registry.function(
            "readLine",
            doc: """
                Asks the user for a line of input (through the front end) and returns it, or nil \
                when input is not available.
                """,
            parameters: [
                .labelled("prompt", type: "String", default: .string("")),
                .labelled("password", type: "Bool", default: .bool(false)),
            ], returns: "String?"
        ) { arguments in
            do {
                return .string(
                    try arguments.session.output.readInput(
                        prompt: try arguments.string(0), password: try arguments.bool(1)))
            } catch CellError.input {
                return .nilValue
            }
        }
    }

    private static func write(_ arguments: Arguments, debug: Bool) throws -> Value {
        let session = arguments.session
        var parts: [String] = []
        for item in try arguments.array(0) {
            parts.append(debug ? try session.debugDescribe(item) : try session.describe(item))
        }
        let text = parts.joined(separator: try arguments.string(1)) + (try arguments.string(2))
        let stream = arguments[3].hostPayload(as: StandardStream.self) ?? .stdout
        session.write(text, to: stream)
        return .void
    }
}
