/// Text forms that may call user code: a struct's own `description` (CustomStringConvertible).
extension Session {
    /// The form `print` and string interpolation use.
    func describe(_ value: Value) throws(Failure) -> String {
        if case .string(let text) = value { return text }
        return try debugDescribe(value)
    }

    /// The form collections and results use: strings quoted.
    func debugDescribe(_ value: Value) throws(Failure) -> String {
        switch value {
        case .structure(let instance):
            if let description = instance.type.computedProperties["description"]
                ?? extensionProperties[instance.type.name]?["description"]
            {
                var none = CallArguments([], site: nil)
                return try describe(
                    try callUser(description.getter, &none, selfValue: value).result)
            }
            var fields: [String] = []
            for (property, field) in zip(instance.type.storedProperties, instance.fields) {
                fields.append("\(property.name): \(try debugDescribe(field))")
            }
            return "\(instance.type.name)(\(fields.joined(separator: ", ")))"
        case .array(let elements):
            var parts: [String] = []
            parts.reserveCapacity(elements.count)
            for element in elements { parts.append(try debugDescribe(element)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case .tuple(let tuple):
            var parts: [String] = []
            for (index, element) in tuple.elements.enumerated() {
                let label = tuple.labels?[index].map { "\($0): " } ?? ""
                parts.append(label + (try debugDescribe(element)))
            }
            return "(" + parts.joined(separator: ", ") + ")"
        case .dictionary(let dictionary):
            if dictionary.count == 0 { return "[:]" }
            var parts: [String] = []
            for (key, entry) in zip(dictionary.keys, dictionary.values) {
                parts.append("\(try debugDescribe(key)): \(try debugDescribe(entry))")
            }
            return "[" + parts.joined(separator: ", ") + "]"
        default:
            return value.debugText
        }
    }

    /// `debugDescribe` for callers that cannot report errors (displays): falls back to the
    /// plain structural form.
    func debugDescription(of value: Value) -> String {
        (try? debugDescribe(value)) ?? value.debugText
    }
}
