import Foundation

/// One line of machine-readable output: a flat JSON object with keys in the given order.
public struct JSONLine {
    /// An empty object.
    public init() {}

    private var fields: [String] = []

    /// Adds a string field.
    public mutating func add(_ key: String, _ value: String) {
        fields.append("\(quoted(key)):\(quoted(value))")
    }

    /// Adds a number field (non-finite numbers become null).
    public mutating func add(_ key: String, _ value: Double) {
        fields.append("\(quoted(key)):\(value.isFinite ? String(value) : "null")")
    }

    /// Adds an integer field.
    public mutating func add(_ key: String, _ value: Int) {
        fields.append("\(quoted(key)):\(value)")
    }

    /// Writes the object and a newline to standard output, flushed.
    public func print() {
        FileHandle.standardOutput.write(Data(("{" + fields.joined(separator: ",") + "}\n").utf8))
    }

    private func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\u%04x", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
