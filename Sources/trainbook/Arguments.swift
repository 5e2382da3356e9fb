import Jupyter

/// The command line after the command name: options (`--name VALUE`, `--flag`, `-f VALUE`)
/// and positional arguments, read in one pass with errors a user can act on.
struct Arguments {
    private var remaining: [String]

    init(_ arguments: some Sequence<String>) {
        remaining = Array(arguments)
    }

    /// Removes a flag; true when it was present.
    mutating func flag(_ names: String...) -> Bool {
        guard let index = remaining.firstIndex(where: names.contains) else { return false }
        remaining.remove(at: index)
        return true
    }

    /// Removes an option and its value; nil when absent.
    ///
    /// - Throws: `JupyterError.usage` when the option has no value.
    mutating func option(_ names: String...) throws(JupyterError) -> String? {
        guard let index = remaining.firstIndex(where: names.contains) else { return nil }
        guard index + 1 < remaining.count else {
            throw JupyterError.usage("\(remaining[index]) needs a value")
        }
        let value = remaining[index + 1]
        remaining.removeSubrange(index...(index + 1))
        return value
    }

    /// Removes every occurrence of a repeatable option and returns their values in order.
    mutating func options(_ names: String...) throws(JupyterError) -> [String] {
        var values: [String] = []
        while let index = remaining.firstIndex(where: names.contains) {
            guard index + 1 < remaining.count else {
                throw JupyterError.usage("\(remaining[index]) needs a value")
            }
            values.append(remaining[index + 1])
            remaining.removeSubrange(index...(index + 1))
        }
        return values
    }

    /// The positional arguments left once options are taken.
    ///
    /// - Throws: `JupyterError.usage` when an unknown option is left over.
    func positional() throws(JupyterError) -> [String] {
        if let unknown = remaining.first(where: { $0.hasPrefix("-") && $0 != "-" }) {
            throw JupyterError.usage("unknown option \(unknown)")
        }
        return remaining
    }
}
