import KernelInterface
import Testing

@testable import Cell

/// The registry's promises to library bindings, proven with the test library in
/// Support/TestLibrary.swift.
@Suite struct RegistryTests {
    func harness() -> CellHarness {
        var configuration = CellInterpreter.Configuration()
        configuration.bindings = [TestLibrary.install]
        return CellHarness(configuration: configuration)
    }

    @Test func referenceObjectsAliasAndChangeInPlace() {
        let cells = harness()
        cells.run(
            "let model = Stack { Dense(1, 1) }\nlet alias = model\nmodel.fit(Pairs(count: 4), epochs: 3)"
        )
        #expect(cells.run("alias.epochsTrained").result == "3")
        #expect(
            cells.run("let d = Dense(2, 3)\nlet e = d\ne.weight = 0.5\nd.weight").result == "0.5")
    }

    @Test func valueTypesCopyOnWrite() {
        let cells = harness()
        let run = cells.run(
            "let a = Vector([1, 2, 3])\nvar b = a\nb[0] = 10\nb.scale(by: 2)\nprint(a, b)")
        #expect(run.stdout == "Vector([1.0, 2.0, 3.0]) Vector([20.0, 4.0, 6.0])\n")
        #expect(
            cells.run("a.scale(by: 2)").error?.value.contains("'a' is a 'let' constant") == true)
    }

    @Test func builderCollectsExpressionStatements() {
        let cells = harness()
        let run = cells.run(
            """
            let useTanh = false
            let model = Stack {
                Dense(784, 128, activation: relu)
                if useTanh { Dense(128, 128, activation: .tanh) }
                for _ in 0..<2 { Dense(128, 128) }
                Dense(128, 10)
            }
            model.count
            """)
        #expect(run.result == "4")
    }

    @Test func implicitMembersAndFunctionValuesAsArguments() {
        let cells = harness()
        #expect(cells.run("Dense(1, 1, activation: .relu).activation").result == "relu")
        #expect(cells.run("Dense(1, 1, activation: relu).activation").result == "relu")
        let error = cells.run("Dense(1, 1, activation: .rellu)").error
        #expect(error?.value == "type 'Activation' has no member 'rellu'; did you mean 'relu'?")
    }

    @Test func hostCallsBackIntoCellClosuresAndUserLayers() {
        let cells = harness()
        let run = cells.run(
            """
            struct Double2: Layer {
                var factor = 2.0
                func callAsFunction(_ x: Double) -> Double { x * factor }
            }
            let model = Stack { Dense(1, 1); Double2() }
            let first = model.layers[0] as! Dense
            first.weight = 3
            let (value, gradient) = valueWithGradient(of: model) { m in m(1.5) + 1 }
            var epochs: [Int] = []
            model.fit(Pairs(count: 2), epochs: 2, onEpoch: { epochs.append($0) })
            print(value, gradient, epochs, model.parameterNames())
            """)
        #expect(run.error == nil)
        #expect(run.stdout == "10.0 1.0 [1, 2] [\"0.weight\", \"1.factor\"]\n")
    }

    @Test func hostCanReplaceAUserLayersStoredProperty() {
        let cells = harness()
        cells.run(
            """
            struct Scale: Layer {
                var factor = 2.0
                func callAsFunction(_ x: Double) -> Double { x * factor }
            }
            let model = Stack { Scale() }
            """)
        #expect(cells.run("model.replacing(\"factor\", with: 5.0)(2)").result == "10.0")
        #expect(cells.run("model(2)").result == "4.0")
    }

    @Test func errorsInCallbacksPropagateWithTheirTraceback() throws {
        let cells = harness()
        let error = try #require(
            cells.run(
                "let model = Stack { Dense(1, 1) }\nvalueWithGradient(of: model) { m in m(1) + \"x\" }"
            ).error)
        #expect(error.name == "TypeError")
        #expect(error.traceback.first == "Traceback (most recent call last):")
        #expect(error.traceback.contains { $0.contains("in closure") })
    }

    @Test func userStructMustMeetTheProtocol() {
        let error = harness().run("struct Broken: Layer { var x = 1 }").error
        #expect(error?.value == "Broken does not conform to Layer: it needs 'callAsFunction(_:)'")
    }

    @Test func operatorsSubscriptsAndMixedNumbers() {
        let cells = harness()
        let run = cells.run(
            """
            let v = Vector([1, 2, 3])
            print(v + v, 2 * v, 1e-1 * v, -v, v[1], v[1...], v[..<2], v[0, 1], v == Vector([1, 2, 3]))
            """)
        #expect(run.error == nil)
        #expect(
            run.stdout
                == "Vector([2.0, 4.0, 6.0]) Vector([2.0, 4.0, 6.0]) Vector([0.1, 0.2, 0.30000000000000004]) "
                + "Vector([-1.0, -2.0, -3.0]) 2.0 Vector([2.0, 3.0]) Vector([1.0, 2.0]) 2.0 true\n")
        #expect(
            cells.run("v + Vector([1])").error.map { "\($0.name): \($0.value)" }
                == "ShapeError: expected 3 inputs, got 1")
        #expect(cells.run("v[7]").error?.name == "IndexError")
    }

    @Test func hostSequencesInForIn() {
        let run = harness().run(
            """
            var sums: [Double] = []
            for (x, y) in Pairs(count: 5).batches(of: 2) { sums.append(x.reduce(0, +) + y.reduce(0, +)) }
            print(sums, Pairs(count: 4).batches(of: 3).count)
            for value in Vector([7, 8]) { print(value) }
            """)
        #expect(run.stdout == "[3.0, 15.0, 12.0] 2\n7.0\n8.0\n")
    }

    @Test func hostTypesGiveTheirOwnDisplay() {
        let cells = harness()
        let run = cells.run("Vector([1, 2])")
        guard case .success(let bundle?) = run.outcome else {
            Issue.record("no result")
            return
        }
        #expect(bundle.plainText == "Vector([1.0, 2.0])")
        #expect(bundle[.html] == "<table><tr><td>1.0</td><td>2.0</td></tr></table>")
        let shown = cells.run("display(Vector([3]), id: \"v\")\nupdate(id: \"v\", Vector([4]))")
        #expect(shown.sink.events.count == 2)
        if case .update(let updated, let id) = shown.sink.events.last {
            #expect(id == "v")
            #expect(updated.plainText == "Vector([4.0])")
        }
    }

    @Test func libraryLoopsStopOnInterrupt() async throws {
        let cells = harness()
        let interpreter = cells.interpreter
        cells.run("let model = Stack { Dense(1, 1) }")
        Task.detached {
            try await Task.sleep(for: .milliseconds(200))
            interpreter.interrupt()
        }
        let error = try #require(cells.run("model.trainForever()").error)
        #expect(error.name == "KeyboardInterrupt")
        #expect(cells.run("model.epochsTrained > 0").result == "true")
    }

    @Test func seedMakesLibraryRandomnessRepeat() {
        let cells = harness()
        let first = cells.run("seed(3)\n[randomWeight(), Dense(1, 1).weight]").result
        let second = cells.run("%seed 3\n[randomWeight(), Dense(1, 1).weight]").result
        #expect(first != nil)
        #expect(first == second)
    }

    @Test func argumentCheckingMessages() {
        let cells = harness()
        cells.run("let model = Stack { Dense(1, 1) }")
        #expect(
            cells.run("model.fit(Pairs(count: 2), 3)").error?.value
                == "missing argument label 'epochs:' in call to fit")
        #expect(
            cells.run("Dense(\"a\", 3)").error?.value
                == "cannot convert value of type String to expected argument type Int (parameter 'inputs' of Dense)"
        )
        #expect(
            cells.run("model.fitt(1)").error?.value
                == "Stack has no member 'fitt'; did you mean 'fit'?")
        #expect(
            cells.run("failing(2)").error.map { "\($0.name): \($0.value)" }
                == "ShapeError: expected 3 inputs, got 2")
    }

    @Test func completionAndInspectionReadTheRegistry() throws {
        let cells = harness()
        cells.run("let model = Stack { Dense(1, 1) }")
        let interpreter = cells.interpreter
        let members = interpreter.complete("model.fi", cursor: 8)
        #expect(members.matches.map(\.text) == ["fit"])
        #expect(members.cursorStart == 6)
        let labels = interpreter.complete("model.fit(Pairs(count: 1), ep", cursor: 29)
        #expect(labels.matches.first?.text == "epochs: ")
        let implicit = interpreter.complete("Dense(1, 2, activation: .re", cursor: 27)
        #expect(implicit.matches.map(\.text) == ["relu"])
        let doc = try #require(
            interpreter.inspect("model.fit", cursor: 9, detailLevel: 0)?.plainText)
        #expect(doc.contains("fit(_ data: Pairs, epochs: Int = 1"))
        #expect(doc.contains("Trains in place"))
        let variable = try #require(
            interpreter.inspect("model", cursor: 5, detailLevel: 0)?.plainText)
        #expect(variable.hasPrefix("model: Stack"))
    }
}
