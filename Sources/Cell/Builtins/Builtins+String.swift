/// String members.
extension Builtins {
    static func installString(into registry: Registry) {
        registry.builtinType("String", doc: "") { type in
            type.property("count", type: "Int", doc: "The number of characters.") { value in
                .int(value.stringText.count)
            }
            type.property("isEmpty", type: "Bool", doc: "Whether the string has no characters.") {
                value in .bool(value.stringText.isEmpty)
            }
            let transforms: [(String, String, (String) -> String)] = [
                ("uppercased", "The string in upper case.", { $0.uppercased() }),
                ("lowercased", "The string in lower case.", { $0.lowercased() }),
                (
                    "capitalized", "The string with each word's first letter in upper case.",
                    {
                        $0.split(separator: " ", omittingEmptySubsequences: false)
                            .map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
                            .joined(separator: " ")
                    }
                ),
                (
                    "trimmed", "The string without leading and trailing whitespace.",
                    {
                        $0.trimmingSpaces()
                    }
                ),
            ]
            for (name, doc, transform) in transforms {
                type.method(name, returns: "String", doc: doc) { value, _ in
                    .string(transform(value.stringText))
                }
            }
            let predicates: [(String, String, (String, String) -> Bool)] = [
                ("hasPrefix", "Whether the string starts with the argument.", { $0.hasPrefix($1) }),
                ("hasSuffix", "Whether the string ends with the argument.", { $0.hasSuffix($1) }),
                (
                    "contains", "Whether the argument occurs in the string.",
                    {
                        $1.isEmpty || $0.contains($1)
                    }
                ),
            ]
            let other = Param<String>.positional("other")
            for (name, doc, test) in predicates {
                type.method(name, parameters: [other], returns: "Bool", doc: doc) {
                    value, arguments in
                    .bool(test(value.stringText, try arguments[other]))
                }
            }
            let separatorCharacter = Param<String>.labelled("separator")
            type.method(
                "split", parameters: [separatorCharacter], returns: "[String]",
                doc: "The pieces between occurrences of a separator character, empty ones dropped."
            ) { value, arguments in
                let separator = try arguments[separatorCharacter]
                guard let character = separator.first, separator.count == 1 else {
                    throw CellError.invalidValue(
                        "split(separator:) needs a single character; use components(separatedBy:) "
                            + "for longer separators")
                }
                return .array(
                    value.stringText.split(separator: character).map { .string(String($0)) })
            }
            let separatedBy = Param<String>.labelled("separatedBy")
            type.method(
                "components", parameters: [separatedBy],
                returns: "[String]", doc: "The pieces between occurrences of a separator string."
            ) { value, arguments in
                let separator = try arguments[separatedBy]
                guard !separator.isEmpty else {
                    throw CellError.invalidValue(
                        "components(separatedBy:) needs a non-empty separator")
                }
                return .array(value.stringText.components(separatedBy: separator).map(Value.string))
            }
            let target = Param<String>.labelled("of")
            let replacement = Param<String>.labelled("with")
            type.method(
                "replacingOccurrences", parameters: [target, replacement],
                returns: "String", doc: "The string with every occurrence of `of` replaced."
            ) { value, arguments in
                let target = try arguments[target]
                guard !target.isEmpty else { return value }
                let replaced = value.stringText.components(separatedBy: target)
                    .joined(separator: try arguments[replacement])
                try arguments.session.memory.checkGrowth(replaced.utf8.count)
                return .string(replaced)
            }
            let toLength = Param<Int>.labelled("toLength")
            let withPad = Param<String>.labelled("withPad", default: " ")
            type.method(
                "padding", parameters: [toLength, withPad], returns: "String",
                doc:
                    "The string cut or padded at the end to a length: `name.padding(toLength: 10)`."
            ) { value, arguments in
                let length = try arguments[toLength]
                let pad = try arguments[withPad]
                guard length >= 0, length <= 1_000_000, !pad.isEmpty else {
                    throw CellError.invalidValue("padding needs a length in 0...1000000 and a pad")
                }
                var text = String(value.stringText.prefix(length))
                while text.count < length { text += pad }
                return .string(String(text.prefix(length)))
            }
            let characterTests: [(String, (Character) -> Bool)] = [
                ("isLetter", \.isLetter), ("isNumber", \.isNumber),
                ("isWhitespace", \.isWhitespace),
                ("isUppercase", \.isUppercase), ("isLowercase", \.isLowercase),
                ("isPunctuation", \.isPunctuation),
            ]
            for (name, test) in characterTests {
                type.property(
                    name, type: "Bool",
                    doc:
                        "For a one-character string: whether the character \(name.dropFirst(2).lowercased())."
                ) { value in
                    let text = value.stringText
                    return .bool(!text.isEmpty && text.allSatisfy(test))
                }
            }
        }
    }
}

extension Builtins {
    /// String members that change the string in place.
    static func installStringMutations(into registry: Registry) {
        registry.builtinType("String", doc: "") { type in
            let other = Param<String>.positional("other")
            type.mutatingMethod(
                "append", parameters: [other],
                doc: "Adds text at the end."
            ) { value, arguments in
                guard case .string(var text) = value else { return .void }
                value = .void
                defer { value = .string(text) }
                let added = try arguments[other]
                try arguments.session.memory.checkGrowth(text.utf8.count + added.utf8.count)
                text += added
                return .void
            }
        }
    }
}
