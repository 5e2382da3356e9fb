/// `assert`, `precondition` and `fatalError`: in cells they raise errors instead of stopping
/// the kernel.
extension Builtins {
    static func installAssertions(into registry: Registry) {
        let condition = Param<Bool>.positional("condition")
        let message = Param<String>.positional("message", default: "")
        for name in ["assert", "precondition"] {
            registry.function(
                name,
                doc: """
                    Raises an AssertionError with `message` when `condition` is false: \
                    `assert(accuracy > 0.8, "the model did not learn")`.
                    """,
                parameters: [condition, message]
            ) { arguments in
                if try !arguments[condition] {
                    throw CellError.assertionFailed(try arguments[message])
                }
                return .void
            }
        }
        registry.function(
            "fatalError", doc: "Stops the cell with a FatalError carrying `message`.",
            parameters: [message]
        ) { arguments in
            throw CellError.fatal(try arguments[message])
        }
    }
}
