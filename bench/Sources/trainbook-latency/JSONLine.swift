import Foundation

/// One line of machine-readable output: a flat JSON object with keys in the given order. Keys
/// and string values here are plain ASCII names chosen by this program, so only quotes and
/// backslashes need escaping.
struct JSONLine {
    private var fields: [String] = []

    /// Adds a string field.
    mutating func add(_ key: String, _ value: String) {
        fields.append("\(quoted(key)):\(quoted(value))")
    }

    /// Adds a number field (non-finite numbers become null).
    mutating func add(_ key: String, _ value: Double) {
        fields.append("\(quoted(key)):\(value.isFinite ? String(value) : "null")")
    }

    /// Adds an integer field.
    mutating func add(_ key: String, _ value: Int) {
        fields.append("\(quoted(key)):\(value)")
    }

    /// Writes the object and a newline to standard output, flushed.
    func print() {
        FileHandle.standardOutput.write(Data(("{" + fields.joined(separator: ",") + "}\n").utf8))
    }

    private func quoted(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }
}
