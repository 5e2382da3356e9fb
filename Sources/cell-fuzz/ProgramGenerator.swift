/// Writes random cells from the language's grammar: declarations, loops with small bounds,
/// functions (some recursive), structs, closures, collections, strings with interpolation,
/// operators, builtins, and deliberate mistakes. Deterministic for a given seed.
struct ProgramGenerator {
    var random: SplitMix
    private var names = ["a", "b", "xs", "d", "s", "p", "f", "g", "total"]
    private var depth = 0

    init(seed: UInt64) {
        random = SplitMix(seed: seed)
    }

    /// A whole cell of a few statements.
    mutating func cell() -> String {
        (0..<random.int(in: 1...6)).map { _ in statement() }.joined(separator: "\n")
    }

    mutating func statement() -> String {
        depth += 1
        defer { depth -= 1 }
        if depth > 3 { return "print(\(expression()))" }
        switch random.int(in: 0...15) {
        case 0: return "let \(name()) = \(expression())"
        case 1: return "var \(name()) = \(expression())"
        case 2: return "\(name()) = \(expression())"
        case 3: return "\(name()) += \(expression())"
        case 4: return "if \(expression()) { \(statement()) } else { \(statement()) }"
        case 5: return "for \(name()) in \(sequence()) { \(statement()) }"
        case 6: return "var n = 0\nwhile n < \(random.int(in: 0...20)) { n += 1; \(statement()) }"
        case 7:
            let function = name()
            return
                "func \(function)(_ x: Int) -> Int { x <= 0 ? 0 : \(function)(x - 1) + \(expression()) }"
        case 8:
            return "struct P\(random.int(in: 0...3)) { var x = \(literal()); var y: Int = 2\n"
                + "  func sum() -> Int { x + y }\n  mutating func bump() { x += 1 } }"
        case 9: return "print(\(expression()), \(expression()), separator: \(string()))"
        case 10: return "\(name()).append(\(expression()))"
        case 11:
            return
                "switch \(expression()) { case 0: print(0) case 1...5: break default: print(\(expression())) }"
        case 12: return "let (\(name()), \(name())) = (\(expression()), \(expression()))"
        case 13: return "repeat { \(statement()) } while false"
        case 14: return "guard let \(name()) = \(expression()) else { print(\"none\") }"
        default: return expression()
        }
    }

    mutating func expression() -> String {
        depth += 1
        defer { depth -= 1 }
        if depth > 5 { return literal() }
        switch random.int(in: 0...18) {
        case 0, 1: return literal()
        case 2, 3: return name()
        case 4: return "\(expression()) \(op()) \(expression())"
        case 5: return "(\(expression()))"
        case 6: return "[\(expression()), \(expression())]"
        case 7: return "[\(string()): \(expression())]"
        case 8: return "\(name())[\(expression())]"
        case 9: return "\(name()).\(member())"
        case 10: return "\(builtin())(\(expression()))"
        case 11: return "{ \(name()) in \(expression()) }(\(expression()))"
        case 12: return "\(sequence()).map { $0 \(op()) \(literal()) }"
        case 13: return "\"\\(\(expression())) and \\(\(name()))\""
        case 14: return "\(expression()) ? \(expression()) : \(expression())"
        case 15: return "\(name()) ?? \(expression())"
        case 16: return "P\(random.int(in: 0...3))(x: \(literal()))"
        case 17: return library()
        default: return "-\(expression())"
        }
    }

    /// A call into the bound library, often with a wrong shape, index or argument: tensors,
    /// layers, models and losses.
    mutating func library() -> String {
        switch random.int(in: 0...9) {
        case 0:
            return "\(tensor()) \(["+", "-", "*", "/", "=="][random.int(in: 0...4)]) \(tensor())"
        case 1: return "\(tensor()).matmul(\(tensor()))"
        case 2: return "\(tensor())[\(index())]"
        case 3: return "\(tensor())[\(index()), \(index())]"
        case 4:
            return "\(tensor()).reshaped([\(random.int(in: -2...6)), \(random.int(in: -1...6))])"
        case 5: return "Dense(\(random.int(in: -1...4)), \(random.int(in: 0...3)))(\(tensor()))"
        case 6:
            return
                "Sequential { Flatten(); Dense(\(random.int(in: 1...6)), 2, activation: .relu) }(\(tensor()))"
        case 7:
            return
                "\(tensor()).\(["sum()", "mean()", "scalar", "scalars", "shape", "transposed()"][random.int(in: 0...5)])"
        case 8: return "meanSquaredError(\(tensor()), \(tensor()))"
        default: return "Tensor(\(expression()))"
        }
    }

    mutating func tensor() -> String {
        switch random.int(in: 0...6) {
        case 0: return "Tensor([1, 2, 3])"
        case 1: return "Tensor([[1, 2], [3, 4]])"
        case 2: return "Tensor.ones([\(random.int(in: 0...3)), \(random.int(in: 0...3))])"
        case 3: return "Tensor.arange(\(random.int(in: 0...12)))"
        case 4: return "Tensor.normal([2, \(random.int(in: 1...4))])"
        case 5: return "Tensor(\(random.int(in: -2...2)).5)"
        default: return name()
        }
    }

    mutating func index() -> String {
        [
            "\(random.int(in: -5...5))", "\(random.int(in: 0...3))...",
            "..<\(random.int(in: -2...9))",
            "...", "nil", "[\(random.int(in: -3...3)), 0]", "Int.max", "\"x\"",
        ][random.int(in: 0...7)]
    }

    mutating func literal() -> String {
        switch random.int(in: 0...11) {
        case 0: return "\(random.int(in: -3...100))"
        case 1:
            return ["Int.max", "Int.min", "-0.0", "Double.nan", "Double.infinity", "1e308"][
                random.int(in: 0...5)]
        case 2: return "\(random.int(in: 0...100)).5"
        case 3: return string()
        case 4: return ["true", "false", "nil"][random.int(in: 0...2)]
        case 5: return "[]"
        case 6: return "[:]"
        case 7: return "()"
        case 8: return "\(random.int(in: 0...9))..<\(random.int(in: 0...9))"
        case 9: return ".relu"
        case 10: return "\(random.int(in: 0...3))..."
        default: return "\(random.int(in: 0...1_000_000))"
        }
    }

    mutating func string() -> String {
        ["\"\"", "\"a\"", "\"héllo 🌍\"", "\"\\n\\t\\\"\"", "\"\"\"\nmulti\n\"\"\""][
            random.int(in: 0...4)]
    }

    mutating func sequence() -> String {
        switch random.int(in: 0...4) {
        case 0: return "0..<\(random.int(in: 0...20))"
        case 1:
            return
                "stride(from: \(random.int(in: -5...5)), to: \(random.int(in: -5...25)), by: \(random.int(in: 1...3)))"
        case 2: return "[1, 2, 3]"
        case 3: return "\"abc\""
        default: return name()
        }
    }

    mutating func name() -> String { names[random.int(in: 0...(names.count - 1))] }

    mutating func op() -> String {
        [
            "+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||", "??", "..<", "...", "<<",
            "&",
        ][random.int(in: 0...15)]
    }

    mutating func member() -> String {
        [
            "count", "isEmpty", "first", "last", "sorted()", "reversed()", "keys", "uppercased()",
            "x", "sum()", "bump()", "0", "magnitude", "description", "filter { $0 > 1 }",
            "reduce(0, +)", "enumerated()", "joined(separator: \",\")", "popLast()", "removeAll()",
        ][random.int(in: 0...19)]
    }

    mutating func builtin() -> String {
        [
            "print", "abs", "sqrt", "Int", "Double", "String", "Array", "type(of: ", "min(1, ",
            "max(2.5, ",
            "debugPrint", "assert", "String(repeating: \"ab\", count: ",
            "Array(repeating: 0, count: ",
            "stride(from: 0, to: 10, by: ", "zip([1, 2], ", "display", "seed", "environment",
            "round",
        ][random.int(in: 0...19)]
    }
}

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): a small deterministic generator for the fuzzer.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Int in `range` (the range is small, so modulo bias does not matter here).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
