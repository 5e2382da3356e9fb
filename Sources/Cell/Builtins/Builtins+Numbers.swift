/// Members of Int, Double and Bool: limits, constants, random numbers, rounding.
extension Builtins {
    static func installNumbers(into registry: Registry) {
        let range = Param<Value>.labelled("in", as: Value.argumentKind.described(type: "Range"))
        registry.builtinType("Int", doc: "") { type in
            type.staticProperty("max", type: "Int", doc: "The largest Int.") { .int(Int.max) }
            type.staticProperty("min", type: "Int", doc: "The smallest Int.") { .int(Int.min) }
            type.staticMethod(
                "random", parameters: [range], returns: "Int",
                doc: "A random Int in a range, from the session's seeded generator."
            ) { arguments in
                guard case .range(let range) = try arguments[range], let bounds = range.intBounds,
                    !bounds.isEmpty
                else {
                    throw CellError.invalidValue("Int.random(in:) needs a non-empty range of Int")
                }
                var generator = arguments.session.random
                return .int(Int.random(in: bounds, using: &generator))
            }
            type.property("magnitude", type: "Int", doc: "The absolute value.") { value in
                guard case .int(let number) = value, number != Int.min else {
                    throw CellError.overflow("the magnitude of Int.min does not fit in Int")
                }
                return .int(abs(number))
            }
            let divisor = Param<Int>.labelled("of")
            type.method(
                "isMultiple", parameters: [divisor], returns: "Bool",
                doc: "Whether the number is a multiple of another."
            ) { value, arguments in
                guard case .int(let number) = value else { return .bool(false) }
                return .bool(number.isMultiple(of: try arguments[divisor]))
            }
            type.method("signum", returns: "Int", doc: "-1, 0 or 1.") { value, _ in
                guard case .int(let number) = value else { return .int(0) }
                return .int(number.signum())
            }
        }
        registry.builtinType("Double", doc: "") { type in
            let constants: [(String, String, Double)] = [
                ("pi", "π.", Double.pi), ("infinity", "Positive infinity.", Double.infinity),
                ("nan", "Not a number.", Double.nan),
                (
                    "greatestFiniteMagnitude", "The largest finite Double.",
                    Double.greatestFiniteMagnitude
                ),
                (
                    "leastNormalMagnitude", "The smallest positive normal Double.",
                    Double.leastNormalMagnitude
                ),
                ("ulpOfOne", "The gap between 1 and the next Double.", Double.ulpOfOne),
            ]
            for (name, doc, value) in constants {
                type.staticProperty(name, type: "Double", doc: doc) { .double(value) }
            }
            type.staticMethod(
                "random", parameters: [range], returns: "Double",
                doc: "A random Double in a range, from the session's seeded generator."
            ) { arguments in
                guard case .range(let range) = try arguments[range],
                    let low = range.lower?.numberValue,
                    let high = range.upper?.numberValue, low.isFinite, high.isFinite,
                    range.isClosed ? low <= high : low < high
                else {
                    throw CellError.invalidValue(
                        "Double.random(in:) needs a non-empty finite range")
                }
                var generator = arguments.session.random
                let value =
                    range.isClosed
                    ? Double.random(in: low...high, using: &generator)
                    : Double.random(in: low..<high, using: &generator)
                return .double(value)
            }
            let predicates: [(String, (Double) -> Bool)] = [
                ("isNaN", \.isNaN), ("isInfinite", \.isInfinite), ("isFinite", \.isFinite),
                ("isZero", \.isZero),
            ]
            for (name, test) in predicates {
                type.property(
                    name, type: "Bool", doc: "Whether the number \(name.dropFirst(2).lowercased())."
                ) {
                    value in .bool(test(value.numberValue ?? 0))
                }
            }
            type.property("magnitude", type: "Double", doc: "The absolute value.") { value in
                .double(abs(value.numberValue ?? 0))
            }
            type.method("squareRoot", returns: "Double", doc: "The square root.") { value, _ in
                .double((value.numberValue ?? 0).squareRoot())
            }
            type.method("rounded", returns: "Double", doc: "Rounded to the nearest whole number.") {
                value, _ in .double((value.numberValue ?? 0).rounded())
            }
            let divisor = Param<Double>.labelled("dividingBy")
            type.method(
                "truncatingRemainder", parameters: [divisor],
                returns: "Double", doc: "The remainder of dividing, truncated toward zero."
            ) { value, arguments in
                .double(
                    (value.numberValue ?? 0).truncatingRemainder(
                        dividingBy: try arguments[divisor]))
            }
        }
        registry.builtinType("Bool", doc: "") { type in
            type.staticMethod("random", returns: "Bool", doc: "A random Bool.") { arguments in
                var generator = arguments.session.random
                return .bool(Bool.random(using: &generator))
            }
            type.mutatingMethod("toggle", doc: "Flips the value.") { value, _ in
                if case .bool(let flag) = value { value = .bool(!flag) }
                return .void
            }
        }
    }
}
