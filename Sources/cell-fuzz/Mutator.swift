/// Breaks cells in the ways people and tools break code: deleted or duplicated spans, stray
/// brackets and operators, swapped characters, extreme numbers, very deep nesting.
struct Mutator {
    var random: SplitMix

    init(seed: UInt64) {
        random = SplitMix(seed: seed)
    }

    mutating func mutate(_ cell: String) -> String {
        var scalars = Array(cell.unicodeScalars)
        for _ in 0..<random.int(in: 1...3) {
            scalars = mutateOnce(scalars)
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        return String(text)
    }

    private mutating func mutateOnce(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var scalars = scalars
        let count = scalars.count
        let position = count == 0 ? 0 : random.int(in: 0...count)
        switch random.int(in: 0...9) {
        case 0 where count > 0:
            let end = min(count, position + random.int(in: 1...10))
            scalars.removeSubrange(min(position, end)..<end)
        case 1 where count > 0:
            let end = min(count, position + random.int(in: 1...20))
            let span = Array(scalars[min(position, end)..<end])
            scalars.insert(contentsOf: span + span, at: min(position, end))
        case 2:
            let pieces = [
                "(", ")", "[", "]", "{", "}", "\"", "\\(", "/*", "*/", ",", ".", ":", "=", "&",
                "$0", "?", "!", "...", "in", "let", "func", "\n",
            ]
            scalars.insert(
                contentsOf: pieces[random.int(in: 0...(pieces.count - 1))].unicodeScalars,
                at: position)
        case 3 where count > 1:
            let other = random.int(in: 0...(count - 1))
            scalars.swapAt(min(position, count - 1), other)
        case 4:
            let numbers = [
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e999", "0x",
                "0b2", "1_000_", "0.0/0.0",
            ]
            scalars.insert(
                contentsOf: numbers[random.int(in: 0...(numbers.count - 1))].unicodeScalars,
                at: position)
        case 5:
            let depth = random.int(in: 50...3000)
            let open = ["(", "[", "{", "-", "!", "\"\\("][random.int(in: 0...5)]
            scalars.insert(
                contentsOf: String(repeating: open, count: depth).unicodeScalars, at: position)
        case 6:
            scalars.insert(
                contentsOf:
                    "%\(["time", "timeit -n 2 -r 1", "who", "whos", "help", "help print", "seed 3", "history", "nosuch"][random.int(in: 0...8)]) "
                    .unicodeScalars, at: 0)
        case 7:
            let chain = String(repeating: " + 1", count: random.int(in: 10...2000))
            scalars.append(contentsOf: chain.unicodeScalars)
        case 8:
            scalars.insert(
                contentsOf: "func r(_ n: Int) -> Int { r(n + 1) }\nr(0)\n".unicodeScalars, at: 0)
        default:
            if count > 0 {
                let replacements: [Unicode.Scalar] = ["\u{0}", "é", "🌍", "\t", "`", "#", "@"]
                scalars[min(position, count - 1)] = replacements[random.int(in: 0...6)]
            }
        }
        return scalars
    }
}
