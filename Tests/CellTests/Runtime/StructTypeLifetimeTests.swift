import Testing

@testable import Cell

@Suite struct StructTypeLifetimeTests {
    /// A struct whose methods read and change its fields (which caches the field's place in
    /// the method's code) is freed once nothing names it: every declaration used to be kept
    /// for the rest of the process, with all its compiled code.
    @Test(arguments: [
        "struct Counter { var count = 0; var step: Int = 2\n func total() -> Int { count + step }\n mutating func bump() { count += step } }",
        "struct Counter { var count = 0\n func total() -> Int { self.count + 2 } }",
        "struct Counter { var count = 0\n mutating func bump() { self.count += 1 } }",
        "struct Counter { var count = 0\n func total() -> Int { 2 } }",
        "struct Counter { var count = 0\n func total() -> Int { count } }",
        "struct Counter { var count = 0\n func total() -> Int { self.other() }\n func other() -> Int { 1 } }",
        "struct Counter { var count = 0\n static let zero = Counter()\n func total() -> Int { 1 } }",
    ])
    func aStructTypeIsFreedWhenNothingNamesIt(declaration: String) {
        let harness = CellHarness()
        harness.run(declaration)
        harness.run("var counter = Counter()")
        weak var type: StructType?
        do {
            let value = harness.interpreter.session.globals.value(of: "Counter")
            guard case .type(.structure(let declared))? = value else {
                Issue.record("Counter is not a struct type: \(String(describing: value))")
                return
            }
            type = declared
        }
        harness.run("counter.count")
        harness.run("counter.total()")
        harness.run("counter.bump()")
        harness.run("counter.total()")
        harness.run("%reset")
        #expect(type == nil)
    }
}

/// More ways of declaring and using a struct, each freed by `%reset` (the soak's cells do all
/// of these).
@Suite struct StructTypeUseLifetimeTests {
    @Test(arguments: [
        // Printed through its description.
        [
            "struct Counter: CustomStringConvertible { var count = 0\n var description: String { \"c\\(count)\" } }",
            "var saved = Counter()", "print(saved)", "\"\\(saved)\"",
        ],
        // Extended in a later cell, the extension calling the struct's own method.
        [
            "struct Counter { var count = 0\n func total() -> Int { count } }",
            "extension Counter { func twice() -> Int { total() * 2 } }",
            "var saved = Counter()", "saved.twice()",
        ],
        // A method that makes a new instance of its own type.
        [
            "struct Counter { var count = 0\n func next() -> Counter { Counter(count: count + 1) } }",
            "var saved = Counter().next().next()",
        ],
        // A closure stored in a field.
        [
            "struct Counter { var count = 0\n var step = { 1 } }",
            "var saved = Counter()", "saved.step()",
        ],
        // Declared again and again by %timeit.
        [
            "struct Counter { var count = 0 }", "var saved = Counter()",
            "%timeit -n 2 -r 1 struct Counter { var count = 1\n func total() -> Int { count } }",
        ],
        // Comparing and hashing instances.
        [
            "struct Counter: Hashable { var count = 0 }", "var saved = Counter()",
            "saved == Counter()", "var set: Set<Counter> = [saved]", "[saved: 1].count",
        ],
    ])
    func aStructTypeIsFreedAfterReset(cells: [String]) {
        let harness = CellHarness()
        for cell in cells { harness.run(cell) }
        weak var type: StructType?
        do {
            guard
                case .structure(let instance)? = harness.interpreter.session.globals.value(
                    of: "saved")
            else {
                Issue.record("saved is not a struct instance")
                return
            }
            type = instance.type
        }
        #expect(type != nil)
        harness.run("%reset")
        #expect(type == nil)
    }
}
