/// Initializers of the language's own types (`Int(x)`, `Double("2.5")`, `String(x)`,
/// `Array(repeating:count:)`) and `type(of:)`.
extension Builtins {
    static func installConversions(into registry: Registry) {
        let value = Param<Value>.positional("value")
        registry.builtinType(
            "Int", doc: "A 64-bit signed integer. Arithmetic overflow is an error."
        ) { type in
            type.initializer(
                parameters: [value],
                doc: """
                    Converts a number (a Double is truncated toward zero; NaN, infinities and \
                    values out of range are errors) or parses a string (nil when it is not a \
                    number).
                    """
            ) { arguments in
                try integer(from: arguments[value])
            }
            let exactly = Param<Value>.labelled("exactly")
            type.initializer(
                parameters: [exactly],
                doc: "The number as an Int when it is whole and in range, else nil."
            ) { arguments in
                guard let number = try arguments[exactly].numberValue,
                    let exact = Int(exactly: number)
                else {
                    return .nilValue
                }
                return .int(exact)
            }
        }
        registry.builtinType("Double", doc: "A 64-bit floating-point number.") { type in
            type.initializer(
                parameters: [value],
                doc: "Converts an Int, or parses a string (nil when it is not a number)."
            ) { arguments in
                let given = try arguments[value]
                switch given {
                case .int(let integer): return .double(Double(integer))
                case .double: return given
                case .string(let text):
                    return Double(text).map(Value.double) ?? .nilValue
                default: throw arguments.mismatch(value, expected: "Int, Double or String")
                }
            }
        }
        registry.builtinType("Bool", doc: "true or false.") { type in
            type.initializer(
                parameters: [value], doc: "Parses \"true\" or \"false\" (else nil)."
            ) { arguments in
                let given = try arguments[value]
                switch given {
                case .bool: return given
                case .string("true"): return .bool(true)
                case .string("false"): return .bool(false)
                case .string: return .nilValue
                default: throw arguments.mismatch(value, expected: "Bool or String")
                }
            }
        }
        registry.builtinType("String", doc: "Text: a sequence of characters.") { type in
            type.initializer(
                parameters: [value],
                doc: """
                    The text form of any value, as `print` writes it. An array of characters \
                    becomes the string of those characters.
                    """
            ) { arguments in
                let given = try arguments[value]
                if case .array(let elements) = given, !elements.isEmpty,
                    elements.allSatisfy({ $0.isSingleCharacter })
                {
                    return .string(elements.map(\.stringText).joined())
                }
                return .string(try arguments.session.describe(given))
            }
            let describing = Param<Value>.labelled("describing")
            type.initializer(parameters: [describing], doc: "The text form of any value.") {
                arguments in
                .string(try arguments.session.describe(arguments[describing]))
            }
            let repeating = Param<String>.labelled("repeating")
            let count = Param<Int>.labelled("count")
            type.initializer(
                parameters: [repeating, count], doc: "The string repeated `count` times."
            ) { arguments in
                let unit = try arguments[repeating]
                let count = try arguments[count]
                guard count >= 0 else {
                    throw CellError.invalidValue("String(repeating:count:) needs a count ≥ 0")
                }
                try arguments.session.memory.checkGrowth(count: count, stride: unit.utf8.count)
                return .string(String(repeating: unit, count: count))
            }
            let format = Param<String>.labelled("format")
            let values = Param<[Value]>.variadic("arguments")
            type.initializer(
                parameters: [format, values],
                doc: """
                    printf-style formatting: `String(format: "%.3f", x)`. Supports %d, %i, %f, \
                    %e, %g, %s, %@, %x, %% with flags, width and precision.
                    """
            ) { arguments in
                .string(
                    try Formatter.format(
                        try arguments[format], try arguments[values], arguments.session))
            }
        }
        registry.builtinType(
            "Array",
            doc: "An ordered collection of values. Arrays are values: `var b = a` copies."
        ) { type in
            let sequence = Param<Value>.positional("sequence")
            type.initializer(parameters: [sequence], doc: "The elements of any sequence.") {
                arguments in
                .array(try arguments.session.elements(of: arguments[sequence]))
            }
            let repeating = Param<Value>.labelled("repeating")
            let count = Param<Int>.labelled("count")
            type.initializer(
                parameters: [repeating, count], doc: "`count` copies of a value."
            ) { arguments in
                let count = try arguments[count]
                guard count >= 0 else {
                    throw CellError.invalidValue("Array(repeating:count:) needs a count ≥ 0")
                }
                try arguments.session.memory.checkGrowth(
                    count: count, stride: MemoryLayout<Value>.stride)
                return .array(Array(repeating: try arguments[repeating], count: count))
            }
        }
        registry.builtinType(
            "Dictionary", doc: "Values looked up by key; iterates in insertion order."
        ) { type in
            let pairs = Param<Value>.labelled("uniqueKeysWithValues")
            type.initializer(
                parameters: [pairs], doc: "A dictionary from an array of (key, value) pairs."
            ) { arguments in
                var dictionary = DictionaryValue()
                for pair in try arguments.session.elements(of: arguments[pairs]) {
                    guard case .tuple(let tuple) = pair, tuple.elements.count == 2 else {
                        throw CellError.typeMismatch(
                            "expected (key, value) pairs, found \(pair.typeName)")
                    }
                    try dictionary.store(
                        tuple.elements[1], forKey: tuple.elements[0],
                        budget: arguments.session.memory)
                }
                return .dictionary(dictionary)
            }
        }
        let subject = Param<Value>.labelled("of")
        registry.function(
            "type", doc: "The type of a value: `type(of: 3)` is `Int`.",
            parameters: [subject], returns: "Type"
        ) { arguments in
            arguments.session.typeValue(of: try arguments[subject])
        }
    }

    private static func integer(from value: Value) throws -> Value {
        switch value {
        case .int: return value
        case .double(let number):
            guard number.isFinite, let truncated = Int(exactly: number.rounded(.towardZero)) else {
                throw CellError.invalidValue(
                    "\(number) cannot be converted to Int: it is not finite or out of range")
            }
            return .int(truncated)
        case .string(let text):
            return Int(text).map(Value.int) ?? .nilValue
        case .bool(let flag):
            return .int(flag ? 1 : 0)
        default:
            throw CellError.typeMismatch("cannot convert a value of type \(value.typeName) to Int")
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}

extension Value {
    /// A string of exactly one character.
    var isSingleCharacter: Bool {
        if case .string(let text) = self { return text.count == 1 }
        return false
    }
}

extension Session {
    /// The type of a value, as a value (`type(of:)`).
    func typeValue(of value: Value) -> Value {
        switch value {
        case .structure(let instance): return .type(.structure(instance.type))
        case .type(let type): return .type(type)
        default: return .type(.registered(typeInfo(of: value)))
        }
    }

    /// The elements of any sequence, as an array.
    func elements(of value: Value) throws(Failure) -> [Value] {
        if case .array(let elements) = value { return elements }
        if case .range(let range) = value, let bounds = range.intBounds {
            try located(nil) { () throws(CellError) in
                try memory.checkGrowth(count: bounds.count, stride: MemoryLayout<Value>.stride)
            }
            return bounds.map(Value.int)
        }
        var iterator = try makeIterator(value, at: nil)
        var elements: [Value] = []
        while let element = try iterator.next() {
            if interruptFlag.isRaised { throw Failure(.interrupted, at: nil) }
            elements.append(element)
            if elements.count == elements.capacity {
                try located(nil) { () throws(CellError) in
                    try memory.checkGrowth(
                        count: elements.count * 2, stride: MemoryLayout<Value>.stride)
                }
            }
        }
        return elements
    }
}
