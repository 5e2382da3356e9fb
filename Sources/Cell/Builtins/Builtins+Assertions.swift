/// `assert`, `precondition` and `fatalError`: in cells they raise errors instead of stopping
/// the kernel.
extension Builtins {
    static func installAssertions(into registry: Registry) {
        for name in ["assert", "precondition"] {
            registry.function(
                name,
                doc: """
                    Raises an AssertionError with `message` when `condition` is false: \
                    `assert(accuracy > 0.8, "the model did not learn")`.
                    """,
                parameters: [
                    .positional("condition", type: "Bool"),
                    .positional("message", type: "String", default: .string("")),
                ]
            ) { arguments in
                if try !arguments.bool(0) {
                    throw CellError.assertionFailed(try arguments.string(1))
                }
                return .void
            }
        }
        registry.function(
            "fatalError", doc: "Stops the cell with a FatalError carrying `message`.",
            parameters: [.positional("message", type: "String", default: .string(""))]
        ) { arguments in
            throw CellError.fatal(try arguments.string(0))
        }
    }
}
