/// Array members: the ones that read (`count`, `map`, `sorted`, …) also serve ranges, strings,
/// dictionaries and library sequences, which are turned into arrays first.
extension Builtins {
    static func installArray(into registry: Registry) {
        registry.builtinType("Array", doc: "") { type in
            installArrayProperties(type)
            installArrayQueries(type)
            installArrayTransforms(type)
            installArrayMutations(type)
        }
    }

    private static func installArrayProperties(_ type: TypeBuilder<Value>) {
        type.property("count", type: "Int", doc: "The number of elements.") { value in
            .int(try value.elements().count)
        }
        type.property("isEmpty", type: "Bool", doc: "Whether there are no elements.") { value in
            .bool(try value.elements().isEmpty)
        }
        type.property("first", type: "Element?", doc: "The first element, or nil.") { value in
            try value.elements().first ?? .nilValue
        }
        type.property("last", type: "Element?", doc: "The last element, or nil.") { value in
            try value.elements().last ?? .nilValue
        }
        type.property("indices", type: "Range<Int>", doc: "The valid indices, 0..<count.") {
            value in
            .range(
                RangeValue(lower: .int(0), upper: .int(try value.elements().count), isClosed: false)
            )
        }
    }

    private static func installArrayQueries(_ type: TypeBuilder<Value>) {
        let element = Param<Value>.positional("element")
        let predicate = Param<Value>.labelled(
            "where", as: Value.argumentKind.described(type: "(Element) -> Bool"))
        type.method(
            "contains", parameters: [element], returns: "Bool",
            doc: "Whether an element equal to the argument is present."
        ) { value, arguments in
            let wanted = try arguments[element]
            return .bool(try value.elements().contains { $0 == wanted })
        }
        type.method(
            "contains", parameters: [predicate],
            returns: "Bool", doc: "Whether some element satisfies the predicate."
        ) { value, arguments in
            let test = try arguments[predicate]
            for element in try value.elements() where try arguments.test(test, element) {
                return .bool(true)
            }
            return .bool(false)
        }
        let condition = Param<Value>.positional(
            "predicate", as: Value.argumentKind.described(type: "(Element) -> Bool"))
        type.method(
            "allSatisfy", parameters: [condition],
            returns: "Bool", doc: "Whether every element satisfies the predicate."
        ) { value, arguments in
            let test = try arguments[condition]
            for element in try value.elements() where try !arguments.test(test, element) {
                return .bool(false)
            }
            return .bool(true)
        }
        type.method(
            "first", parameters: [predicate],
            returns: "Element?", doc: "The first element satisfying the predicate, or nil."
        ) { value, arguments in
            let test = try arguments[predicate]
            for element in try value.elements() where try arguments.test(test, element) {
                return element
            }
            return .nilValue
        }
        type.method(
            "last", parameters: [predicate],
            returns: "Element?", doc: "The last element satisfying the predicate, or nil."
        ) { value, arguments in
            let test = try arguments[predicate]
            for element in try value.elements().reversed() where try arguments.test(test, element) {
                return element
            }
            return .nilValue
        }
        let target = Param<Value>.labelled("of")
        type.method(
            "firstIndex", parameters: [target], returns: "Int?",
            doc: "The index of the first element equal to the argument, or nil."
        ) { value, arguments in
            let wanted = try arguments[target]
            return try value.elements().firstIndex { $0 == wanted }.map(Value.int) ?? .nilValue
        }
        type.method(
            "firstIndex", parameters: [predicate],
            returns: "Int?", doc: "The index of the first element satisfying the predicate."
        ) { value, arguments in
            let test = try arguments[predicate]
            for (index, element) in try value.elements().enumerated()
            where try arguments.test(test, element) {
                return .int(index)
            }
            return .nilValue
        }
        type.method(
            "lastIndex", parameters: [target], returns: "Int?",
            doc: "The index of the last element equal to the argument, or nil."
        ) { value, arguments in
            let wanted = try arguments[target]
            return try value.elements().lastIndex { $0 == wanted }.map(Value.int) ?? .nilValue
        }
        let ordering = Param<Value>.labelled(
            "by", as: Value.argumentKind.described(type: "(Element, Element) -> Bool"))
        for (name, pickLess) in [("min", true), ("max", false)] {
            type.method(
                name, returns: "Element?",
                doc: "The \(pickLess ? "smallest" : "largest") element, or nil when empty."
            ) { value, arguments in
                try extreme(
                    of: try value.elements(), session: arguments.session, pickLess: pickLess)
            }
            type.method(
                name, parameters: [ordering], returns: "Element?",
                doc: "The \(pickLess ? "smallest" : "largest") element by an ordering, or nil."
            ) { value, arguments in
                let areInIncreasingOrder = try arguments[ordering]
                var best: Value?
                for element in try value.elements() {
                    guard let current = best else {
                        best = element
                        continue
                    }
                    let ordered = pickLess ? [element, current] : [current, element]
                    if try arguments.test(areInIncreasingOrder, ordered) { best = element }
                }
                return best ?? .nilValue
            }
        }
        type.method(
            "randomElement", returns: "Element?",
            doc: "A random element (from the session's seeded generator), or nil when empty."
        ) { value, arguments in
            var generator = arguments.session.random
            return try value.elements().randomElement(using: &generator) ?? .nilValue
        }
    }

    private static func installArrayTransforms(_ type: TypeBuilder<Value>) {
        let closure = { (name: String, type: String) in
            Param<Value>.positional(name, as: Value.argumentKind.described(type: type))
        }
        let map = closure("transform", "(Element) -> T")
        type.method(
            "map", parameters: [map], returns: "[T]",
            doc: "The results of calling the closure on each element: `xs.map { $0 * 2 }`."
        ) { value, arguments in
            let transform = try arguments[map]
            var results: [Value] = []
            for element in try value.elements() {
                results.append(try arguments.session.call(transform, [element]))
            }
            return .array(results)
        }
        let compactMap = closure("transform", "(Element) -> T?")
        type.method(
            "compactMap", parameters: [compactMap],
            returns: "[T]", doc: "The non-nil results of calling the closure on each element."
        ) { value, arguments in
            let transform = try arguments[compactMap]
            var results: [Value] = []
            for element in try value.elements() {
                let result = try arguments.session.call(transform, [element])
                if !result.isNil { results.append(result) }
            }
            return .array(results)
        }
        let flatMap = closure("transform", "(Element) -> [T]")
        type.method(
            "flatMap", parameters: [flatMap],
            returns: "[T]", doc: "The concatenated arrays the closure returns for each element."
        ) { value, arguments in
            let transform = try arguments[flatMap]
            var results: [Value] = []
            for element in try value.elements() {
                results += try arguments.session.elements(
                    of: try arguments.session.call(transform, [element]))
            }
            return .array(results)
        }
        let isIncluded = closure("isIncluded", "(Element) -> Bool")
        type.method(
            "filter", parameters: [isIncluded],
            returns: "[Element]", doc: "The elements for which the closure returns true."
        ) { value, arguments in
            let test = try arguments[isIncluded]
            var results: [Value] = []
            for element in try value.elements() where try arguments.test(test, element) {
                results.append(element)
            }
            return .array(results)
        }
        let initial = Param<Value>.positional("initial")
        let combine = closure("combine", "(T, Element) -> T")
        type.method(
            "reduce", parameters: [initial, combine],
            returns: "T", doc: "Combines the elements: `xs.reduce(0, +)`."
        ) { value, arguments in
            var result = try arguments[initial]
            let next = try arguments[combine]
            for element in try value.elements() {
                result = try arguments.session.call(next, [result, element])
            }
            return result
        }
        let body = closure("body", "(Element) -> Void")
        type.method("forEach", parameters: [body], doc: "Calls the closure on each element.") {
            value, arguments in
            let body = try arguments[body]
            for element in try value.elements() { _ = try arguments.session.call(body, [element]) }
            return .void
        }
        let ordering = Param<Value>.labelled(
            "by", as: Value.argumentKind.described(type: "(Element, Element) -> Bool"))
        type.method(
            "sorted", returns: "[Element]", doc: "The elements in increasing order (by `<`)."
        ) { value, arguments in
            .array(try sortedElements(try value.elements(), arguments.session, comparator: nil))
        }
        type.method(
            "sorted", parameters: [ordering],
            returns: "[Element]", doc: "The elements ordered by a predicate: `sorted(by: >)`."
        ) { value, arguments in
            .array(
                try sortedElements(
                    try value.elements(), arguments.session, comparator: arguments[ordering]))
        }
        type.method("reversed", returns: "[Element]", doc: "The elements in reverse order.") {
            value, _ in .array(try value.elements().reversed())
        }
        type.method(
            "enumerated", returns: "[(offset: Int, element: Element)]",
            doc: "(index, element) pairs: `for (i, x) in xs.enumerated()`."
        ) { value, _ in
            .array(
                try value.elements().enumerated().map { index, element in
                    .tuple(TupleValue([.int(index), element], labels: ["offset", "element"]))
                })
        }
        let separator = Param<String>.labelled("separator", default: "")
        type.method(
            "joined", parameters: [separator],
            returns: "String", doc: "The elements' text joined with a separator."
        ) { value, arguments in
            var parts: [String] = []
            for element in try value.elements() {
                parts.append(try arguments.session.describe(element))
            }
            let text = parts.joined(separator: try arguments[separator])
            try arguments.session.memory.checkGrowth(text.utf8.count)
            return .string(text)
        }
        let slices: [(String, String, ([Value], Int) -> ArraySlice<Value>)] = [
            ("prefix", "The first `n` elements (or fewer).", { $0.prefix($1) }),
            ("suffix", "The last `n` elements (or fewer).", { $0.suffix($1) }),
            ("dropFirst", "All but the first `n` elements.", { $0.dropFirst($1) }),
            ("dropLast", "All but the last `n` elements.", { $0.dropLast($1) }),
        ]
        for (name, doc, slice) in slices {
            let n =
                name.hasPrefix("drop")
                ? Param<Int>.positional("n", default: 1) : Param<Int>.positional("n")
            type.method(name, parameters: [n], returns: "[Element]", doc: doc) {
                value, arguments in
                let count = try arguments[n]
                guard count >= 0 else { throw CellError.invalidValue("\(name) needs a count ≥ 0") }
                let result = Array(slice(try value.elements(), count))
                if case .string = value { return .string(result.map(\.stringText).joined()) }
                return .array(result)
            }
        }
        type.method(
            "shuffled", returns: "[Element]",
            doc: "The elements in random order, from the session's seeded generator."
        ) { value, arguments in
            var generator = arguments.session.random
            return .array(try value.elements().shuffled(using: &generator))
        }
    }

    /// Sorts with `<`, or with a `comparator` closure.
    static func sortedElements(_ elements: [Value], _ session: Session, comparator: Value?) throws
        -> [Value]
    {
        try elements.sorted { a, b in
            if let comparator { return try session.test(comparator, [a, b]) }
            guard case .bool(let less) = try session.binaryOperation(.less, a, b, at: nil) else {
                return false
            }
            return less
        }
    }
}

extension Value {
    /// The elements of an array, or of any other sequence (range, string, dictionary pairs).
    func elements() throws -> [Value] {
        switch self {
        case .array(let elements): return elements
        case .string(let text): return text.map { .string(String($0)) }
        case .dictionary(let dictionary):
            return zip(dictionary.keys, dictionary.values).map {
                .tuple(TupleValue([$0.0, $0.1], labels: ["key", "value"]))
            }
        case .range(let range):
            guard let bounds = range.intBounds else {
                throw CellError.typeMismatch(
                    "\(range.textDescription) cannot be turned into an array; use Int bounds")
            }
            guard bounds.count <= 50_000_000 else {
                throw CellError.tooManyElements(count: bounds.count, limit: 50_000_000)
            }
            return bounds.map(Value.int)
        default:
            throw CellError.typeMismatch("a value of type \(typeName) is not a sequence")
        }
    }

    /// Runs `body` on the elements of an array value in place.
    mutating func mutateArray(_ session: Session, _ body: (inout [Value]) throws -> Void) throws
        -> Value
    {
        guard case .array(var elements) = self else {
            throw CellError.typeMismatch("expected an array, not \(typeName)")
        }
        self = .void
        defer { self = .array(elements) }
        try body(&elements)
        return .void
    }
}

extension Arguments {
    /// Calls a predicate closure (read from an argument) and requires a Bool.
    func test(_ function: Value, _ element: Value) throws -> Bool {
        try session.test(function, [element])
    }

    /// Calls a predicate closure with several arguments and requires a Bool.
    func test(_ function: Value, _ elements: [Value]) throws -> Bool {
        try session.test(function, elements)
    }
}

extension Session {
    /// Calls a predicate closure and requires a Bool.
    func test(_ function: Value, _ elements: [Value]) throws -> Bool {
        let result = try call(function, elements)
        guard case .bool(let flag) = result else {
            throw CellError.typeMismatch(
                "the closure must return a Bool, but it returned a value of type \(result.typeName)"
            )
        }
        return flag
    }
}
