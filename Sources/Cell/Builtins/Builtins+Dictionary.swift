/// Dictionary members.
extension Builtins {
    static func installDictionary(into registry: Registry) {
        registry.builtinType("Dictionary", doc: "") { type in
            type.property("count", type: "Int", doc: "The number of entries.") { value in
                .int(try value.dictionary().count)
            }
            type.property("isEmpty", type: "Bool", doc: "Whether there are no entries.") { value in
                .bool(try value.dictionary().count == 0)
            }
            type.property("keys", type: "[Key]", doc: "The keys, in insertion order.") { value in
                .array(try value.dictionary().keys)
            }
            type.property("values", type: "[Value]", doc: "The values, in key order.") { value in
                .array(try value.dictionary().values)
            }
            type.mutatingMethod(
                "updateValue", parameters: [.positional("value"), .labelled("forKey")],
                returns: "Value?", doc: "Sets the value for a key; returns the old value or nil."
            ) { value, arguments in
                var dictionary = try value.dictionary()
                value = .void
                defer { value = .dictionary(dictionary) }
                let old = dictionary[arguments[1]] ?? .nilValue
                dictionary[arguments[1]] = arguments[0]
                return old
            }
            type.mutatingMethod(
                "removeValue", parameters: [.labelled("forKey")], returns: "Value?",
                doc: "Removes a key; returns its value or nil."
            ) { value, arguments in
                var dictionary = try value.dictionary()
                value = .void
                defer { value = .dictionary(dictionary) }
                return dictionary.removeValue(forKey: arguments[0]) ?? .nilValue
            }
            type.mutatingMethod("removeAll", doc: "Removes every entry.") { value, _ in
                value = .dictionary(DictionaryValue())
                return .void
            }
            type.method(
                "mapValues", parameters: [.positional("transform", type: "(Value) -> T")],
                returns: "[Key: T]", doc: "The dictionary with each value transformed."
            ) { value, arguments in
                let dictionary = try value.dictionary()
                var result = DictionaryValue()
                for (key, entry) in zip(dictionary.keys, dictionary.values) {
                    result[key] = try arguments.call(0, with: [entry])
                }
                return .dictionary(result)
            }
            type.method(
                "filter",
                parameters: [.positional("isIncluded", type: "((key: Key, value: Value)) -> Bool")],
                returns: "[Key: Value]", doc: "The entries for which the closure returns true."
            ) { value, arguments in
                let dictionary = try value.dictionary()
                var result = DictionaryValue()
                for (key, entry) in zip(dictionary.keys, dictionary.values) {
                    let pair = Value.tuple(TupleValue([key, entry], labels: ["key", "value"]))
                    if try arguments.test(0, pair) { result[key] = entry }
                }
                return .dictionary(result)
            }
            type.method(
                "merging",
                parameters: [
                    .positional("other"),
                    .labelled("uniquingKeysWith", type: "(Value, Value) -> Value"),
                ],
                returns: "[Key: Value]",
                doc:
                    "The entries of both dictionaries; the closure picks the value for a shared key."
            ) { value, arguments in
                var result = try value.dictionary()
                let other = try arguments[0].dictionary()
                for (key, entry) in zip(other.keys, other.values) {
                    if let existing = result[key] {
                        result[key] = try arguments.call(1, with: [existing, entry])
                    } else {
                        result[key] = entry
                    }
                }
                return .dictionary(result)
            }
        }
    }
}

extension Value {
    /// The dictionary, or a type error.
    func dictionary() throws -> DictionaryValue {
        guard case .dictionary(let dictionary) = self else {
            throw CellError.typeMismatch("expected a dictionary, not \(typeName)")
        }
        return dictionary
    }
}
