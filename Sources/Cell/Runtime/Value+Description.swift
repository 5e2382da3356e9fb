/// Text forms of values: what `print` writes, what a cell's result shows, type names.
extension Value {
    /// The type's name as messages and `type(of:)` show it: `Int`, `[Double]`, `(Int, String)`.
    /// At most 256 nested values are looked at (a deeper or wider value is typed `Any` there),
    /// so the name of a value nested a million levels deep is quick and cannot overflow the
    /// stack.
    public var typeName: String {
        var budget = 256
        return typeName(budget: &budget)
    }

    private func typeName(budget: inout Int) -> String {
        budget -= 1
        switch self {
        case .void: return "Void"
        case .nilValue: return "nil"
        case .bool: return "Bool"
        case .int: return "Int"
        case .double: return "Double"
        case .string: return "String"
        case .array(let elements):
            guard budget > 0 else { return "Any" }
            return "[\(Value.commonTypeName(elements.prefix(64), &budget))]"
        case .dictionary(let dictionary):
            guard budget > 0 else { return "Any" }
            return "[\(Value.commonTypeName(dictionary.keys.prefix(64), &budget)): "
                + "\(Value.commonTypeName(dictionary.values.prefix(64), &budget))]"
        case .tuple(let tuple):
            guard budget > 0 else { return "Any" }
            var names: [String] = []
            for (position, element) in tuple.elements.enumerated() {
                let label = tuple.labels?[position].map { "\($0): " } ?? ""
                names.append(label + element.typeName(budget: &budget))
            }
            return "(" + names.joined(separator: ", ") + ")"
        case .range(let range):
            if range.step != nil { return "StrideSequence" }
            let bound = (range.lower ?? range.upper)?.typeName ?? "Int"
            return range.isClosed ? "ClosedRange<\(bound)>" : "Range<\(bound)>"
        case .function: return "Function"
        case .type(let type): return "\(type.name).Type"
        case .structure(let instance): return instance.type.name
        case .host(let object): return object.type.name
        }
    }

    private static func commonTypeName(_ values: ArraySlice<Value>, _ budget: inout Int)
        -> String
    {
        guard let first = values.first?.typeName(budget: &budget) else { return "Any" }
        for value in values.dropFirst() where value.typeName(budget: &budget) != first {
            return "Any"
        }
        return first
    }

    /// The form `print` writes: strings without quotes.
    var plainDescription: String {
        if case .string(let text) = self { return text }
        return debugText
    }

    /// The form collections and results show: strings quoted and escaped.
    package var debugText: String {
        switch self {
        case .void: return "()"
        case .nilValue: return "nil"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return String(describing: value)
        case .string(let text): return Value.quoted(text)
        case .array, .dictionary, .tuple, .structure:
            // Nested values: written without recursion and cut past ValueDescriber's limits.
            // The describer has no user code to run, so it cannot fail.
            return (try? ValueDescriber().describe(self)) ?? typeName
        case .range(let range): return range.textDescription
        case .function(let function): return "(function \(function.name))"
        case .type(let type): return type.name
        case .host(let object):
            return object.type.describe?(self) ?? object.type.name
        }
    }

    /// The value as source text, for defaults in signatures.
    var sourceLiteral: String {
        switch self {
        case .function(let function): return function.name
        default: return debugText
        }
    }

    /// `text` in double quotes with Swift's escapes.
    static func quoted(_ text: String) -> String { quoted(text, limit: .max).text }

    /// `text` in double quotes with Swift's escapes, cut after `limit` Unicode scalars (the
    /// quotes then close on `…`): describing a string of a gigabyte for a preview or a capped
    /// description must not first escape all of it.
    static func quoted(_ text: String, limit: Int) -> (text: String, isCut: Bool) {
        var result = "\""
        var written = 0
        for scalar in text.unicodeScalars {
            guard written < limit else { return (result + "…\"", true) }
            written += 1
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\0": result += "\\0"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return (result + "\"", false)
    }
}

extension RangeValue {
    /// `0..<5`, `1...`, `stride(from: 0, to: 10, by: 2)`.
    var textDescription: String {
        let low = lower?.debugText ?? ""
        let high = upper?.debugText ?? ""
        if let step {
            return "stride(from: \(low), \(isClosed ? "through" : "to"): \(high), by: "
                + "\(step.debugText))"
        }
        return low + (isClosed || upper == nil ? "..." : "..<") + high
    }
}

extension String {
    /// The number of characters when the text is at most a megabyte, else nil: counting
    /// characters walks the whole text, too slow for a preview of a gigabyte string.
    var characterCountIfSmall: Int? { utf8.count > 1 << 20 ? nil : count }
}
