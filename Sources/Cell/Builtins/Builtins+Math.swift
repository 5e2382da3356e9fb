import Foundation

/// `min`, `max`, `abs` and the functions of Foundation's math library.
extension Builtins {
    static func installMath(into registry: Registry) {
        let x = Param<Value>.positional("x")
        let y = Param<Value>.positional("y")
        let rest = Param<[Value]>.variadic("rest")
        for (name, pickLess) in [("min", true), ("max", false)] {
            let doc =
                pickLess
                ? "The smallest of the arguments: `min(a, b)`, `min(1, 2.5, x)`."
                : "The largest of the arguments: `max(a, b)`, `max(1, 2.5, x)`."
            registry.function(name, doc: doc, parameters: [x, y, rest]) { arguments in
                try extreme(
                    of: [try arguments[x], try arguments[y]] + arguments[rest],
                    session: arguments.session, pickLess: pickLess)
            }
        }
        registry.function("abs", doc: "The absolute value of an Int or Double.", parameters: [x]) {
            arguments in
            switch try arguments[x] {
            case .int(let value):
                guard value != Int.min else {
                    throw CellError.overflow("abs(\(value)) does not fit in Int")
                }
                return .int(abs(value))
            case .double(let value): return .double(abs(value))
            default: throw arguments.mismatch(x, expected: "Int or Double")
            }
        }
        let unary: [(String, String, (Double) -> Double)] = [
            ("sqrt", "The square root.", { $0.squareRoot() }),
            ("exp", "e raised to the power x.", { Foundation.exp($0) }),
            ("log", "The natural logarithm.", { Foundation.log($0) }),
            ("log2", "The base-2 logarithm.", { Foundation.log2($0) }),
            ("log10", "The base-10 logarithm.", { Foundation.log10($0) }),
            ("sin", "The sine (radians).", { Foundation.sin($0) }),
            ("cos", "The cosine (radians).", { Foundation.cos($0) }),
            ("tan", "The tangent (radians).", { Foundation.tan($0) }),
            ("asin", "The arc sine.", { Foundation.asin($0) }),
            ("acos", "The arc cosine.", { Foundation.acos($0) }),
            ("atan", "The arc tangent.", { Foundation.atan($0) }),
            ("sinh", "The hyperbolic sine.", { Foundation.sinh($0) }),
            ("cosh", "The hyperbolic cosine.", { Foundation.cosh($0) }),
            ("tanh", "The hyperbolic tangent.", { Foundation.tanh($0) }),
            ("floor", "The largest whole number not above x, as a Double.", { $0.rounded(.down) }),
            ("ceil", "The smallest whole number not below x, as a Double.", { $0.rounded(.up) }),
            (
                "round", "x rounded to the nearest whole number (halves away from zero).",
                {
                    $0.rounded()
                }
            ),
            ("trunc", "x with its fractional part dropped.", { $0.rounded(.towardZero) }),
        ]
        let number = Param<Double>.positional("x")
        for (name, doc, function) in unary {
            registry.function(name, doc: doc, parameters: [number], returns: "Double") {
                arguments in
                .double(function(try arguments[number]))
            }
        }
        let power = Param<Double>.positional("y")
        registry.function(
            "pow", doc: "x raised to the power y, as a Double.", parameters: [number, power],
            returns: "Double"
        ) { arguments in
            .double(Foundation.pow(try arguments[number], try arguments[power]))
        }
        registry.function(
            "atan2", doc: "The angle of the point (x, y), in radians.",
            parameters: [power, number], returns: "Double"
        ) { arguments in
            .double(Foundation.atan2(try arguments[power], try arguments[number]))
        }
    }

    static func extreme(of values: [Value], session: Session, pickLess: Bool) throws -> Value {
        guard var best = values.first else { return .nilValue }
        for candidate in values.dropFirst() {
            let ordered = pickLess ? (candidate, best) : (best, candidate)
            if case .bool(true) = try session.binaryOperation(.less, ordered.0, ordered.1, at: nil)
            {
                best = candidate
            }
        }
        let mixesDoubles = values.contains {
            if case .double = $0 { return true } else { return false }
        }
        if mixesDoubles, case .int(let integer) = best { return .double(Double(integer)) }
        return best
    }
}
