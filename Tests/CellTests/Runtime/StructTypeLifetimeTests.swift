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
