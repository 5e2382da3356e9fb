/// Text forms of values: what `print` writes, what a cell's result shows, type names.
extension Value {
    /// The type's name as messages and `type(of:)` show it: `Int`, `[Double]`, `(Int, String)`.
    public var typeName: String {
        switch self {
        case .void: return "Void"
        case .nilValue: return "nil"
        case .bool: return "Bool"
        case .int: return "Int"
        case .double: return "Double"
        case .string: return "String"
        case .array(let elements): return "[\(Value.commonTypeName(elements.prefix(64)))]"
        case .dictionary(let dictionary):
            return "[\(Value.commonTypeName(dictionary.keys.prefix(64))): "
                + "\(Value.commonTypeName(dictionary.values.prefix(64)))]"
        case .tuple(let tuple):
            return "(" + tuple.elements.map(\.typeName).joined(separator: ", ") + ")"
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

    private static func commonTypeName(_ values: ArraySlice<Value>) -> String {
        guard let first = values.first?.typeName else { return "Any" }
        return values.allSatisfy { $0.typeName == first } ? first : "Any"
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
        case .array(let elements):
            return "[" + elements.map(\.debugText).joined(separator: ", ") + "]"
        case .dictionary(let dictionary):
            if dictionary.count == 0 { return "[:]" }
            return "["
                + dictionary.pairs.map { "\($0.key.debugText): \($0.value.debugText)" }
                .joined(separator: ", ") + "]"
        case .tuple(let tuple):
            let parts = tuple.elements.enumerated().map { index, element in
                let label = tuple.labels?[index].map { "\($0): " } ?? ""
                return label + element.debugText
            }
            return "(" + parts.joined(separator: ", ") + ")"
        case .range(let range): return range.textDescription
        case .function(let function): return "(function \(function.name))"
        case .type(let type): return type.name
        case .structure(let instance):
            let fields = zip(instance.type.storedProperties, instance.fields).map {
                "\($0.0.name): \($0.1.debugText)"
            }
            return "\(instance.type.name)(\(fields.joined(separator: ", ")))"
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
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
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
        return result + "\""
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
