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

        let printing = PrintParameters()
        registry.function(
            "print",
            doc: """
                Writes the items' text forms to standard output, separated by `separator` and \
                followed by `terminator`.

                `print(a, b, separator: ", ")`; `print("warning", to: &standardError)` writes \
                to standard error.
                """,
            parameters: printing.all
        ) { arguments in
            try write(arguments, printing, debug: false)
        }
        registry.function(
            "debugPrint",
            doc:
                "Like `print`, with strings quoted and escaped: `debugPrint(\"a\\n\")` shows \"a\\n\".",
            parameters: printing.all
        ) { arguments in
            try write(arguments, printing, debug: true)
        }
        let prompt = Param<String>.labelled("prompt", default: "")
        let password = Param<Bool>.labelled("password", default: false)
        registry.function(
            "readLine",
            doc: """
                Asks the user for a line of input (through the front end) and returns it, or nil \
                when input is not available.
                """,
            parameters: [prompt, password], returns: "String?"
        ) { arguments in
            do {
                return .string(
                    try arguments.session.output.readInput(
                        prompt: try arguments[prompt], password: try arguments[password]))
            } catch CellError.input {
                return .nilValue
            }
        }
    }

    /// `print`'s and `debugPrint`'s parameters.
    private struct PrintParameters {
        let items = Param<[Value]>.variadic("items")
        let separator = Param<String>.labelled("separator", default: " ")
        let terminator = Param<String>.labelled("terminator", default: "\n")
        let output = Param<Value>(
            declaring: Parameter(
                label: "to", name: "output", type: "TextOutputStream", defaultValue: .nilValue,
                acceptsInout: true, defaultDescription: "&standardOutput"),
            kind: Value.argumentKind)

        var all: [any ParameterDeclaration] { [items, separator, terminator, output] }
    }

    private static func write(_ arguments: Arguments, _ p: PrintParameters, debug: Bool) throws
        -> Value
    {
        let session = arguments.session
        let separator = try arguments[p.separator]
        var text = ""
        for (index, item) in try arguments[p.items].enumerated() {
            if index > 0 { text += separator }
            text += debug ? try session.debugDescribe(item) : try session.describe(item)
        }
        text += try arguments[p.terminator]
        let stream = try arguments[p.output].hostPayload(as: StandardStream.self) ?? .stdout
        session.write(text, to: stream)
        return .void
    }
}
