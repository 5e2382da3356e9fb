/// Writes valid cells that lean on the compiler's fast paths, for the differential check:
/// loops appending to arrays, struct methods (mutating ones too, some failing half-way), user
/// functions called with and without their default arguments, compound assignment near Int's
/// limits, integer ranges, recursion across the recursion limit, `inout` arguments,
/// closures, and element assignment (`xs[i] = v`, `d[key] op= v`, `grid[i][j] op= v`, in range
/// or not, on copies). Names repeat across cells, so later cells work on earlier cells' values.
/// Deterministic for a given seed.
struct FastPathProgramGenerator {
    var random: SplitMix

    init(seed: UInt64) {
        random = SplitMix(seed: seed)
    }

    mutating func cell() -> String {
        let n = random.int(in: 0...12)
        let k = random.int(in: -3...5)
        let op = ["+", "-", "*", "/", "%"][random.int(in: 0...4)]
        switch random.int(in: 0...15) {
        case 0:
            return "var xs: [Int] = []\nfor i in 0..<\(n) { xs.append(i \(op) \(k)) }\nprint(xs)"
        case 1:
            return "xs.append(\(k))\nxs.append(contentsOf: [\(n)])\nxs.count"
        case 2:
            return """
                struct Acc {
                    var n = \(k)
                    mutating func add(_ k: Int, times: Int = 1) {
                        n += k * times
                        if n > \(n * 4) { fatalError("over") }
                    }
                    func get() -> Int { n \(op) 2 }
                }
                var acc = Acc()
                """
        case 3:
            return "for i in 0..<\(n) { acc.add(i) }\nacc.add(\(k), times: 2)\nacc.get()"
        case 4:
            return "print(acc.n, acc)"
        case 5:
            return """
                func f(_ x: Int, by k: Int = \(k)) -> Int { x \(op) k }
                var t = \(n)
                for i in 0..<\(n) { t += f(i); t = t \(op) f(i, by: \(k == 0 ? 1 : k)) }
                t
                """
        case 6:
            let start = ["Int.max", "Int.min", "0", "Int.max / 2"][random.int(in: 0...3)]
            return "var big = \(start) - \(k)\nfor _ in 0..<\(n) { big \(op)= \(k) }\nbig"
        case 7:
            return """
                var total = 0.5
                for i in stride(from: \(k), to: \(n), by: 2) { total \(op)= Double(i) + 0.5 }
                total
                """
        case 8:
            return """
                var grid: [[Int]] = [[], []]
                for i in 0..<\(n) { grid[i % 2].append(i \(op) \(k == 0 ? 1 : k)) }
                var accs = [Acc(), Acc()]
                accs[\(n % 2)].add(\(k))
                (grid, accs.map { $0.n })
                """
        case 9:
            return """
                func depth(_ n: Int) -> Int { n == 0 ? 0 : 1 + depth(n - 1) }
                depth(\(n * 900))
                """
        case 10:
            return """
                func swapped(_ a: inout Int, _ b: inout Int) { let t = a; a = b; b = t }
                var p = \(n)
                var q = \(k)
                swapped(&p, &q)
                p += q \(op) \(k == 0 ? 1 : k)
                (p, q)
                """
        case 11:
            return """
                let g = { (x: Int) -> Int in x \(op) \(k) }
                (0..<\(n)).map(g).reduce(0, +) + [\(k), \(n)].map { $0 * 2 }.count
                """
        case 12:
            return """
                var d = ["a": \(k)]
                for i in 0..<\(n) { d["a", default: 0] += i; d["b", default: \(k)] \(op)= 1 }
                d
                """
        case 13:
            return """
                var s = ""
                for i in 0..<\(n) { s += String(i \(op) \(k == 0 ? 2 : k)) }
                var words = [s, "x"]
                words.insert(s, at: 0)
                (s.count, words.contains(s), words.contains { $0.count > \(n) })
                """
        case 14:
            // Nothing fails before the last line, which is out of range for most k (or
            // overflows): the nested assignments run in every such cell with n > 0.
            let divisor = k == 0 ? 1 : k
            return """
                var ys = [\(k), \(n), 0]
                var m: [Int: Int] = [\(k): \(n)]
                let before = (ys, m)
                for i in 0..<\(n) { ys[i % 3] = i \(op) \(divisor); m[i % 3] = i; m[\(k)] \(op)= \(divisor) }
                m[1] = nil
                var grid = [ys, [\(n), \(k), 0]]
                var rows: [Int: [Int]] = [0: ys, 1: [\(k)]]
                let copies = (grid, rows)
                for i in 0..<\(n) { grid[i % 2][i % 3] \(op)= \(divisor); rows[i % 2]![0] = i; rows[0][i % 3] += \(k) }
                print(before, ys, m, grid, rows, copies)
                ys[\(k)] += Int.max / 2
                ys
                """
        default:
            return """
                extension Acc {
                    func scaled(by k: Int) -> Int { n * k }
                }
                acc.scaled(by: \(k))
                """
        }
    }
}
