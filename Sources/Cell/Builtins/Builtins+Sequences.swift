/// `stride`, `zip` and the members of ranges.
extension Builtins {
    static func installSequences(into registry: Registry) {
        for (label, isClosed) in [("to", false), ("through", true)] {
            let start = Param<Value>.labelled("from")
            let end = Param<Value>.labelled(label)
            let step = Param<Value>.labelled("by")
            registry.function(
                "stride",
                doc: """
                    The numbers from `from` \(isClosed ? "up to and including" : "up to but not including") \
                    `\(label)`, in steps of `by`: `for x in stride(from: 0, \(label): 1, by: 0.25)`.
                    """,
                parameters: [start, end, step], returns: "StrideSequence"
            ) { arguments in
                let bounds = [try arguments[start], try arguments[end], try arguments[step]]
                guard bounds.allSatisfy({ $0.numberValue != nil }) else {
                    throw CellError.typeMismatch(
                        "stride needs numbers for from:, \(label): and by:")
                }
                guard let step = bounds[2].numberValue, step != 0, step.isFinite else {
                    throw CellError.invalidValue("stride needs a non-zero, finite step")
                }
                let allInts = bounds.allSatisfy {
                    if case .int = $0 { return true } else { return false }
                }
                let converted = allInts ? bounds : bounds.map { Value.double($0.numberValue ?? 0) }
                return .range(
                    RangeValue(
                        lower: converted[0], upper: converted[1], isClosed: isClosed,
                        step: converted[2]))
            }
        }
        let first = Param<Value>.positional("first")
        let second = Param<Value>.positional("second")
        registry.function(
            "zip", doc: "Pairs of corresponding elements: `for (x, y) in zip(xs, ys)`.",
            parameters: [first, second], returns: "[(A, B)]"
        ) { arguments in
            let first = try arguments.session.elements(of: arguments[first])
            let second = try arguments.session.elements(of: arguments[second])
            return .array(zip(first, second).map { .tuple(TupleValue([$0.0, $0.1])) })
        }
        registry.builtinType("Range", doc: "A range of numbers: `0..<10`, `1...5`, `2...`.") {
            type in
            type.property("lowerBound", doc: "The first value (nil for `..<b`).") { value in
                guard case .range(let range) = value else { return .nilValue }
                return range.lower ?? .nilValue
            }
            type.property("upperBound", doc: "The end (nil for `a...`).") { value in
                guard case .range(let range) = value else { return .nilValue }
                return range.upper ?? .nilValue
            }
            type.property("count", type: "Int", doc: "The number of Ints in the range.") { value in
                guard case .range(let range) = value else { return .int(0) }
                if let bounds = range.intBounds { return .int(bounds.count) }
                return .int(try value.elements().count)
            }
            type.property("isEmpty", type: "Bool", doc: "Whether the range has no values.") {
                value in
                guard case .range(let range) = value else { return .bool(true) }
                return .bool(range.intBounds?.isEmpty ?? false)
            }
            let candidate = Param<Value>.positional("value")
            type.method(
                "contains", parameters: [candidate], returns: "Bool",
                doc: "Whether a number lies in the range."
            ) { value, arguments in
                .bool(
                    try arguments.session.patternMatches(
                        value, arguments[candidate], at: arguments.site))
            }
        }
    }
}

extension Arguments {
    /// Where the call is, for errors raised by builtins that call back into the session.
    var site: SourceLocation {
        location
            ?? SourceLocation(
                file: SourceFile(name: "<builtin>", text: ""), range: SourceRange(0, 0))
    }
}
