import Testing

@testable import Cell

@Suite struct StructTypeLifetimeTests {
    /// A struct whose methods read and change its fields (which caches the field's place in
    /// the method's code) is freed once nothing names it: every declaration used to be kept
    /// for the rest of the process, with all its compiled code.
    @Test func aStructTypeIsFreedWhenNothingNamesIt() {
        let harness = CellHarness()
        harness.run(
            """
            struct Counter {
                var count = 0
                var step: Int = 2
                func total() -> Int { count + step }
                mutating func bump() { count += step }
            }
            var counter = Counter()
            counter.bump()
            counter.total()
            """)
        weak var type: StructType?
        do {
            let value = harness.interpreter.session.globals.value(of: "Counter")
            guard case .type(.structure(let declared))? = value else {
                Issue.record("Counter is not a struct type: \(String(describing: value))")
                return
            }
            type = declared
        }
        #expect(harness.run("counter.total()").result == "4")
        harness.run("%reset")
        #expect(type == nil)
    }
}
