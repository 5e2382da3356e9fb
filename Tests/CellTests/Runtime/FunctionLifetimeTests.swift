import Testing

@testable import Cell

/// Functions, closures and methods are freed, with their compiled code, once nothing names
/// them: a call site that remembers its callee must not keep the callee's own code alive (a
/// recursive function would then keep itself forever), and a local function that calls
/// itself must not hold itself through its own box. The soak found each of these as memory
/// that `%reset` did not give back.
@Suite struct FunctionLifetimeTests {
    /// The compiled code of the function `name` holds, read through a weak reference.
    private func code(of name: String, in harness: CellHarness) -> FunctionCode? {
        guard case .function(let function)? = harness.interpreter.session.globals.value(of: name)
        else {
            Issue.record("\(name) is not a function")
            return nil
        }
        return function.cellCode
    }

    @Test(arguments: [
        // Direct recursion through a global's call site.
        "func f(_ n: Int) -> Int { n <= 0 ? 0 : f(n - 1) + 1 }",
        // Through the general call path (a default value rules out the direct one).
        "func f(_ n: Int, by step: Int = 1) -> Int { if n <= 0 { return 0 }\n return f(n - step, by: step) + 1 }",
        // Mutual recursion.
        "func g(_ n: Int) -> Int { n <= 0 ? 0 : f(n - 1) }\nfunc f(_ n: Int) -> Int { n <= 0 ? 0 : g(n - 1) + 1 }",
        // A closure that calls the function.
        "func f(_ n: Int) -> Int { n <= 0 ? 0 : [n - 1].map { f($0) }[0] + 1 }",
        // A function that is not recursive (a control: freed before the fix too).
        "func f(_ n: Int) -> Int { n + 1 }",
    ])
    func aGlobalFunctionIsFreedWhenNothingNamesIt(declaration: String) {
        let harness = CellHarness()
        #expect(harness.run(declaration).succeeded)
        weak var code: FunctionCode?
        code = self.code(of: "f", in: harness)
        #expect(code != nil)
        #expect(harness.run("f(5)").succeeded)
        #expect(harness.run("f(3)").succeeded)
        harness.run("%reset")
        #expect(code == nil)
    }

    @Test func aRedefinedRecursiveFunctionFreesTheOldCode() {
        let harness = CellHarness()
        harness.run("func f(_ n: Int) -> Int { n <= 0 ? 0 : f(n - 1) + 1 }\nf(4)")
        weak var old = code(of: "f", in: harness)
        harness.run("func f(_ n: Int) -> Int { n <= 0 ? 0 : f(n - 1) + 2 }")
        #expect(harness.run("f(4)").result == "8")
        #expect(old == nil)
    }

    /// The function value `name` holds, for a weak reference.
    private func function(_ name: String, in harness: CellHarness) -> Callable? {
        guard case .function(let function)? = harness.interpreter.session.globals.value(of: name)
        else {
            Issue.record("\(name) is not a function")
            return nil
        }
        return function
    }

    @Test(arguments: [
        // A local function calling itself, returned from its function.
        "func make() -> (Int) -> Int { func down(_ n: Int) -> Int { n <= 0 ? 0 : down(n - 1) + 1 }\n return down }",
        // A local function calling itself from a closure inside it.
        "func make() -> (Int) -> Int { func down(_ n: Int) -> Int { n <= 0 ? 0 : [n - 1].map { down($0) }[0] + 1 }\n return down }",
        // A local function that captures a variable and calls itself.
        "func make() -> (Int) -> Int { var calls = 0\n func down(_ n: Int) -> Int { calls += 1\n return n <= 0 ? calls : down(n - 1) }\n return down }",
    ])
    func aLocalRecursiveFunctionIsFreedWhenNothingNamesIt(declaration: String) {
        let harness = CellHarness()
        #expect(harness.run(declaration).succeeded)
        #expect(harness.run("var down = make()\nvar other = make()").succeeded)
        weak var made = function("down", in: harness)
        weak var madeAgain = function("other", in: harness)
        #expect(made != nil)
        #expect(harness.run("down(4)").succeeded)
        #expect(harness.run("make()(3)").succeeded)
        harness.run("%reset")
        #expect(made == nil)
        #expect(madeAgain == nil)
    }

    @Test(arguments: [
        // Two local functions calling each other.
        "func make() -> (Int) -> Int { func up(_ n: Int) -> Int { n <= 0 ? 0 : down(n - 1) }\n func down(_ n: Int) -> Int { n <= 0 ? 0 : up(n - 1) + 1 }\n return down }",
        // Each capturing a variable (their captures are shared).
        "func make() -> (Int) -> Int { var calls = 0\n let step = 1\n func up(_ n: Int) -> Int { calls += 1\n return n <= 0 ? 0 : down(n - step) }\n func down(_ n: Int) -> Int { n <= 0 ? calls - calls : up(n - step) + 1 }\n return down }",
        // Calling each other from closures inside them.
        "func make() -> (Int) -> Int { func up(_ n: Int) -> Int { n <= 0 ? 0 : [n - 1].map { down($0) }[0] }\n func down(_ n: Int) -> Int { n <= 0 ? 0 : [n - 1].map { up($0) }[0] + 1 }\n return down }",
        // Three, in a loop body.
        "func make() -> (Int) -> Int { var made: (Int) -> Int = { $0 }\n for _ in 0..<2 { func a(_ n: Int) -> Int { n <= 0 ? 0 : b(n - 1) }\n func b(_ n: Int) -> Int { n <= 0 ? 0 : c(n - 1) + 1 }\n func c(_ n: Int) -> Int { n <= 0 ? 0 : a(n - 1) }\n made = b }\n return made }",
    ])
    func localFunctionsCallingEachOtherAreFreed(declaration: String) {
        let harness = CellHarness()
        #expect(harness.run(declaration).succeeded)
        harness.run("var down = make()")
        weak var made = function("down", in: harness)
        weak var madeCode = code(of: "down", in: harness)
        #expect(made != nil)
        #expect(harness.run("down(4)").result == "2")
        harness.run("%reset")
        #expect(made == nil)
        #expect(madeCode == nil)
    }

    /// A member of a group of local functions keeps its siblings' code: they still run after
    /// the function that declared them is redefined (and its old code freed).
    @Test func localFunctionsCallingEachOtherOutliveTheirDeclaringCode() {
        let harness = CellHarness()
        harness.run(
            "func make() -> (Int) -> Int { func up(_ n: Int) -> Int { n <= 0 ? 0 : down(n - 1) }\n func down(_ n: Int) -> Int { n <= 0 ? 0 : up(n - 1) + 1 }\n return down }"
        )
        weak var oldMake = code(of: "make", in: harness)
        harness.run("let down = make()")
        harness.run("func make() -> Int { 0 }")
        #expect(oldMake == nil)
        #expect(harness.run("down(10)").result == "5")
        #expect(harness.run("[3, 4].map(down)").result == "[2, 2]")
    }

    @Test func aLocalRecursiveFunctionStillWorksAfterItsFunctionReturned() {
        let harness = CellHarness()
        harness.run(
            "func make() -> (Int) -> Int { func fact(_ n: Int) -> Int { n <= 1 ? 1 : n * fact(n - 1) }\n return fact }"
        )
        #expect(harness.run("let fact = make()\nfact(5)").result == "120")
        #expect(harness.run("[1, 2, 3].map(make())").result == "[1, 2, 6]")
    }

    @Test(arguments: [
        "struct Walker { var step = 1\n func down(_ n: Int) -> Int { n <= 0 ? 0 : down(n - step) + 1 } }",
        "struct Walker { var step = 1\n func down(_ n: Int) -> Int { n <= 0 ? 0 : self.down(n - step) + 1 } }",
        "struct Walker { var step = 1\n func down(_ n: Int) -> Int { n <= 0 ? 0 : up(n - step) + 1 }\n func up(_ n: Int) -> Int { n <= 0 ? 0 : down(n - step) } }",
        "struct Walker { var step = 1\n mutating func down(_ n: Int) -> Int { if n <= 0 { return 0 }\n step = 1\n return down(n - 1) + 1 } }",
    ])
    func aRecursiveMethodIsFreedWithItsType(declaration: String) {
        let harness = CellHarness()
        #expect(harness.run(declaration).succeeded)
        weak var code: FunctionCode?
        do {
            guard
                case .type(.structure(let type))? = harness.interpreter.session.globals.value(
                    of: "Walker")
            else {
                Issue.record("Walker is not a struct type")
                return
            }
            code = type.methods["down"]?.first?.code
        }
        #expect(code != nil)
        #expect(harness.run("var w = Walker()\nw.down(4)").succeeded)
        #expect(harness.run("w.down(2)").succeeded)
        harness.run("%reset")
        #expect(code == nil)
    }
}
