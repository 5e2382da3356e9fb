/// Valid cells covering the language, the starting points for mutation.
enum Corpus {
    static let cells: [String] = [
        "let x = 3\nvar y = x + 4\ny *= 2\nprint(x, y)",
        "func fact(_ n: Int) -> Int { n <= 1 ? 1 : n * fact(n - 1) }\nfact(20)",
        "var xs = [3, 1, 2]\nxs.sort()\nxs.append(contentsOf: [5, 4])\nxs.map { $0 * 2 }.filter { $0 > 4 }",
        "var d = [\"a\": 1]\nd[\"b\", default: 0] += 2\nfor (k, v) in d { print(k, v) }\nd.keys",
        "struct Point: CustomStringConvertible {\n  var x = 0.0, y = 0.0\n  var norm: Double { (x * x + y * y).squareRoot() }\n  var description: String { \"(\\(x), \\(y))\" }\n  mutating func scale(by k: Double) { x *= k; y *= k }\n}\nvar p = Point(x: 3, y: 4)\np.scale(by: 2)\nprint(p, p.norm)",
        "let t = (loss: 0.5, accuracy: 0.9)\nlet (l, a) = t\nprint(t.loss, l + a)",
        "var total = 0\nfor i in stride(from: 0, through: 100, by: 5) where i % 2 == 0 { total += i }\ntotal",
        "outer: for i in 0..<5 { for j in 0..<5 { if i * j > 6 { break outer }; if j > i { continue outer } } }",
        "let s = \"Hello, \\(\"world\".uppercased())!\"\ns.count",
        "let f: (Int) -> Int = { x in x + 1 }\n[1, 2, 3].reduce(0, +) + f(1)",
        "var n = 10\nrepeat { n -= 3 } while n > 0\nn",
        "switch (1, \"a\") {\ncase (0, _): print(\"zero\")\ncase (let k, \"a\") where k > 0: print(\"a\", k)\ndefault: break\n}",
        "let maybe: Int? = Int(\"42\")\nif let value = maybe { print(value) }\nguard let other = Int(\"x\") else { print(\"nil\") }",
        "extension Int { func doubled() -> Int { self * 2 } }\n21.doubled()",
        "let words = \"a b c\".split(separator: \" \")\nwords.joined(separator: \"-\")",
        "func greet(_ name: String, times: Int = 1) { for _ in 0..<times { print(\"hi\", name) } }\ngreet(\"ann\", times: 2)",
        "var grid = [[0, 0], [0, 0]]\ngrid[1][0] = 5\ngrid",
        "let sorted = [(\"b\", 2), (\"a\", 1)].sorted { $0.1 < $1.1 }\nsorted.first",
        "var counter = 0\nlet increment = { counter += 1 }\nincrement(); increment()\ncounter",
        "String(format: \"%.3f|%5d|%-4s|\", 3.14159, 42, \"ab\")",
        "Double.random(in: 0..<1) < 1",
        "\"\"\"\n  indented\n    more\n  \"\"\"",
        "let values = Array(repeating: 1.5, count: 4)\nvalues.reduce(0, +) / Double(values.count)",
    ]
}
