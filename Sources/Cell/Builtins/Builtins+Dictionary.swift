import Memory

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
            let newValue = Param<Value>.positional("value")
            let key = Param<Value>.labelled("forKey")
            type.mutatingMethod(
                "updateValue", parameters: [newValue, key],
                returns: "Value?", doc: "Sets the value for a key; returns the old value or nil."
            ) { value, arguments in
                let (given, key) = (try arguments[newValue], try arguments[key])
                var dictionary = try value.dictionary()
                value = .void
                defer { value = .dictionary(dictionary) }
                return try dictionary.store(given, forKey: key, budget: arguments.session.memory)
                    ?? .nilValue
            }
            type.mutatingMethod(
                "removeValue", parameters: [key], returns: "Value?",
                doc: "Removes a key; returns its value or nil."
            ) { value, arguments in
                let key = try arguments[key]
                var dictionary = try value.dictionary()
                value = .void
                defer { value = .dictionary(dictionary) }
                return dictionary.removeValue(forKey: key) ?? .nilValue
            }
            type.mutatingMethod("removeAll", doc: "Removes every entry.") { value, _ in
                value = .dictionary(DictionaryValue())
                return .void
            }
            let transform = Param<Value>.positional(
                "transform", as: Value.argumentKind.described(type: "(Value) -> T"))
            type.method(
                "mapValues", parameters: [transform],
                returns: "[Key: T]", doc: "The dictionary with each value transformed."
            ) { value, arguments in
                let dictionary = try value.dictionary()
                let function = try arguments[transform]
                var result = DictionaryValue()
                for (key, entry) in zip(dictionary.keys, dictionary.values) {
                    let transformed = try arguments.session.call(function, [entry])
                    try result.store(transformed, forKey: key, budget: arguments.session.memory)
                }
                return .dictionary(result)
            }
            let isIncluded = Param<Value>.positional(
                "isIncluded",
                as: Value.argumentKind.described(type: "((key: Key, value: Value)) -> Bool"))
            type.method(
                "filter", parameters: [isIncluded],
                returns: "[Key: Value]", doc: "The entries for which the closure returns true."
            ) { value, arguments in
                let dictionary = try value.dictionary()
                let test = try arguments[isIncluded]
                var result = DictionaryValue()
                for (key, entry) in zip(dictionary.keys, dictionary.values) {
                    let pair = Value.tuple(TupleValue([key, entry], labels: ["key", "value"]))
                    if try arguments.test(test, pair) {
                        try result.store(entry, forKey: key, budget: arguments.session.memory)
                    }
                }
                return .dictionary(result)
            }
            let other = Param<Value>.positional("other")
            let combine = Param<Value>.labelled(
                "uniquingKeysWith",
                as: Value.argumentKind.described(type: "(Value, Value) -> Value"))
            type.method(
                "merging", parameters: [other, combine],
                returns: "[Key: Value]",
                doc:
                    "The entries of both dictionaries; the closure picks the value for a shared key."
            ) { value, arguments in
                var result = try value.dictionary()
                let other = try arguments[other].dictionary()
                let combine = try arguments[combine]
                for (key, entry) in zip(other.keys, other.values) {
                    if let existing = result[key] {
                        result[key] = try arguments.session.call(combine, [existing, entry])
                    } else {
                        try result.store(entry, forKey: key, budget: arguments.session.memory)
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
