import Foundation

// The text form of a tensor, after NumPy's `repr`: nested brackets aligned in columns, `...`
// in place of the middle of big tensors, then the shape and dtype.

extension Tensor: CustomStringConvertible {
    /// The tensor as text, abbreviated when it has more than 1,000 elements.
    ///
    /// ```swift
    /// print(try Tensor([1, 2, 3, 4.5, 5, 6], shape: [2, 3]))
    /// // tensor([[1.0, 2.0, 3.0],
    /// //         [4.5, 5.0, 6.0]], shape: [2, 3], dtype: float32)
    /// ```
    public var description: String { formatted() }

    /// The tensor as text, showing `edgeItems` items at each end of every axis when it has more
    /// than `threshold` elements.
    public func formatted(threshold: Int = 1000, edgeItems: Int = 3) -> String {
        let abbreviated = elementCount > threshold
        let edge = Swift.max(edgeItems, 1)
        let shownIndices = shape.map { size -> [Int?] in
            guard abbreviated, size - edge > edge else { return (0..<size).map { $0 } }
            return Array(0..<edge) + [nil] + Array((size - edge)..<size)
        }
        var texts: [String] = []
        collectTexts(axis: 0, offset: offset, shown: shownIndices, into: &texts)
        let width = texts.map(\.count).max() ?? 0
        var cursor = 0
        let prefix = "tensor("
        var body = ""
        write(
            axis: 0, shown: shownIndices, texts: texts, width: width, cursor: &cursor,
            indent: prefix.count, into: &body)
        return "\(prefix)\(body), shape: \(shape), dtype: \(dtype))"
    }

    private func collectTexts(axis: Int, offset: Int, shown: [[Int?]], into texts: inout [String]) {
        guard axis < rank else {
            texts.append(elementText(at: offset))
            return
        }
        for index in shown[axis] {
            guard let index else { continue }
            collectTexts(
                axis: axis + 1, offset: offset + index * strides[axis], shown: shown, into: &texts)
        }
    }

    private func write(
        axis: Int, shown: [[Int?]], texts: [String], width: Int, cursor: inout Int, indent: Int,
        into output: inout String
    ) {
        guard axis < rank else {
            let text = texts[cursor]
            output += String(repeating: " ", count: width - text.count) + text
            cursor += 1
            return
        }
        output += "["
        let separator =
            axis == rank - 1
            ? ", "
            : "," + String(repeating: "\n", count: rank - axis - 1)
                + String(repeating: " ", count: indent + axis + 1)
        for (position, index) in shown[axis].enumerated() {
            if position > 0 { output += separator }
            if index == nil {
                output += "..."
            } else {
                write(
                    axis: axis + 1, shown: shown, texts: texts, width: width, cursor: &cursor,
                    indent: indent, into: &output)
            }
        }
        output += "]"
    }

    /// The element at storage offset `position`, as text.
    private func elementText(at position: Int) -> String {
        switch dtype {
        case .float32: return Self.format(storage.elements(Float.self)[position])
        case .int32: return String(storage.elements(Int32.self)[position])
        case .uint8: return String(storage.elements(UInt8.self)[position])
        case .int8: return String(storage.elements(Int8.self)[position])
        }
    }

    private static func format(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        let magnitude = Swift.abs(value)
        if magnitude != 0, magnitude < 1e-4 || magnitude >= 1e8 {
            return String(format: "%.4e", Double(value))
        }
        var text = String(format: "%.4f", Double(value))
        while text.hasSuffix("0"), !text.hasSuffix(".0") { text.removeLast() }
        return text
    }
}
