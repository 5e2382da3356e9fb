/// Text forms that may call user code: a struct's own `description` (CustomStringConvertible).
extension Session {
    /// The form `print` and string interpolation use.
    func describe(_ value: Value) throws(Failure) -> String {
        if case .string(let text) = value { return text }
        return try debugDescribe(value)
    }

    /// The form collections and results use: strings quoted.
    func debugDescribe(_ value: Value) throws(Failure) -> String {
        guard value.mayHoldValues else { return value.debugText }
        var describer = ValueDescriber()
        describer.customDescription = { [self] value throws(Failure) in
            guard case .structure(let instance) = value,
                let description = instance.type.computedProperties["description"]
                    ?? extensionProperties[instance.type.name]?["description"]
            else { return nil }
            var none = CallArguments([], site: nil)
            return try describe(try callUser(description.getter, &none, selfValue: value).result)
        }
        return try describer.describe(value)
    }

    /// `debugDescribe` for callers that cannot report errors (displays): falls back to the
    /// plain structural form.
    func debugDescription(of value: Value) -> String {
        (try? debugDescribe(value)) ?? value.debugText
    }

    /// The start of `debugDescription(of:)`: at most `limit` characters, then `…` when cut,
    /// found without describing more than is shown — a string of a gigabyte is escaped only as
    /// far as `limit` (for `%whos` and the inspector, which answer while the user waits).
    func debugPreview(of value: Value, limit: Int) -> String {
        let text: String
        if case .string(let string) = value {
            text = Value.quoted(string, limit: limit).text
        } else {
            text = debugDescription(of: value)
        }
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}
