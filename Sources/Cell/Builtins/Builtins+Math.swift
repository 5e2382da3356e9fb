import Foundation

/// `min`, `max`, `abs` and the functions of Foundation's math library.
extension Builtins {
    static func installMath(into registry: Registry) {
        registry.function(
            "min", doc: "The smallest of the arguments: `min(a, b)`, `min(1, 2.5, x)`.",
            parameters: [.positional("x"), .positional("y"), .variadic("rest")]
        ) { arguments in
            try extreme(arguments, pickLess: true)
        }
        registry.function(
            "max", doc: "The largest of the arguments: `max(a, b)`, `max(1, 2.5, x)`.",
            parameters: [.positional("x"), .positional("y"), .variadic("rest")]
        ) { arguments in
            try extreme(arguments, pickLess: false)
        }
        registry.function(
            "abs", doc: "The absolute value of an Int or Double.", parameters: [.positional("x")]
        ) { arguments in
            switch arguments[0] {
            case .int(let value):
                guard value != Int.min else {
                    throw CellError.overflow("abs(\(value)) does not fit in Int")
                }
                return .int(abs(value))
            case .double(let value): return .double(abs(value))
            default: throw arguments.mismatch(0, expected: "Int or Double")
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
        for (name, doc, function) in unary {
            registry.function(
                name, doc: doc, parameters: [.positional("x", type: "Double")], returns: "Double"
            ) { arguments in
                .double(function(try arguments.double(0)))
            }
        }
        registry.function(
            "pow", doc: "x raised to the power y, as a Double.",
            parameters: [.positional("x", type: "Double"), .positional("y", type: "Double")],
            returns: "Double"
        ) { arguments in
            .double(Foundation.pow(try arguments.double(0), try arguments.double(1)))
        }
        registry.function(
            "atan2", doc: "The angle of the point (x, y), in radians.",
            parameters: [.positional("y", type: "Double"), .positional("x", type: "Double")],
            returns: "Double"
        ) { arguments in
            .double(Foundation.atan2(try arguments.double(0), try arguments.double(1)))
        }
    }

    /// The least (or greatest) of `min`/`max`'s arguments, comparing with `<`.
    private static func extreme(_ arguments: Arguments, pickLess: Bool) throws -> Value {
        var candidates = [arguments[0], arguments[1]]
        candidates += try arguments.array(2)
        return try extreme(of: candidates, session: arguments.session, pickLess: pickLess)
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
