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
            parameters: printing.all, unlabelled: unlabelledWrite(debug: false),
            general: { try write($0, printing, debug: false) })
        registry.function(
            "debugPrint",
            doc:
                "Like `print`, with strings quoted and escaped: `debugPrint(\"a\\n\")` shows \"a\\n\".",
            parameters: printing.all, unlabelled: unlabelledWrite(debug: true),
            general: { try write($0, printing, debug: true) })
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
        /// The separator and terminator `print` uses when its call names none (the unlabelled
        /// path's too).
        static let defaultSeparator = " "
        static let defaultTerminator = "\n"

        let separator = Param<String>.labelled("separator", default: defaultSeparator)
        let terminator = Param<String>.labelled("terminator", default: defaultTerminator)
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
        let stream = try arguments[p.output].hostPayload(as: StandardStream.self) ?? .stdout
        return try write(
            try arguments[p.items], separator: try arguments[p.separator],
            terminator: try arguments[p.terminator], debug: debug, to: stream,
            arguments.session)
    }

    /// `print(a, b)` and `debugPrint(a, b)`: the items with the default separator and
    /// terminator, to standard output.
    private static func unlabelledWrite(debug: Bool) -> UnlabelledBody {
        { items, session throws(Failure) in
            try write(
                items, separator: PrintParameters.defaultSeparator,
                terminator: PrintParameters.defaultTerminator, debug: debug, to: .stdout, session)
        }
    }

    /// Writes the items' text forms, `separator` between them and `terminator` after, as one
    /// piece of text: the text of both of `print`'s paths, the general one and the unlabelled.
    private static func write<Items: Collection<Value>>(
        _ items: Items, separator: String, terminator: String, debug: Bool,
        to stream: StandardStream, _ session: Session
    ) throws(Failure) -> Value {
        var text = ""
        var isFirst = true
        for item in items {
            if !isFirst { text += separator }
            isFirst = false
            text += debug ? try session.debugDescribe(item) : try session.describe(item)
        }
        text += terminator
        session.write(text, to: stream)
        return .void
    }
}
