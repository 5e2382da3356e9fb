import Foundation
import JSON

/// One line of machine-readable output: a flat JSON object with keys in the given order.
public struct JSONLine {
    /// An empty object.
    public init() {}

    private var fields: [String] = []

    /// Adds a string field.
    public mutating func add(_ key: String, _ value: String) {
        fields.append("\(quoted(key)):\(JSONValue.string(value).jsonString())")
    }

    /// Adds a number field (non-finite numbers become null).
    public mutating func add(_ key: String, _ value: Double) {
        fields.append("\(quoted(key)):\(JSONValue.double(value).jsonString())")
    }

    /// Adds an integer field.
    public mutating func add(_ key: String, _ value: Int) {
        fields.append("\(quoted(key)):\(value)")
    }

    /// Adds an array of numbers (non-finite numbers become null).
    public mutating func add(_ key: String, _ values: [Double]) {
        let array = JSONValue.array(values.map(JSONValue.double))
        fields.append("\(quoted(key)):\(array.jsonString())")
    }

    /// Writes the object and a newline to standard output, flushed.
    public func print() {
        FileHandle.standardOutput.write(Data(("{" + fields.joined(separator: ",") + "}\n").utf8))
    }

    /// A key as a JSON string literal.
    private func quoted(_ key: String) -> String {
        var bytes: [UInt8] = []
        JSONValue.writeString(key, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
