import CellLibrary
import Testing

@testable import Cell

/// Training in cells: fit with progress, evaluate, predict, hand-written steps, callbacks,
/// interrupts and reproducibility.
extension CellInterpreter.Configuration {
    /// The default configuration plus `raiseInterrupt()`, with which a cell raises the
    /// interrupt flag itself, deterministically.
    static var raisingInterrupts: Self {
        var configuration = Self.withLibrary
        configuration.bindings.append { registry in
            registry.function("raiseInterrupt", doc: "Raises the interrupt flag (tests).") {
                arguments in
                arguments.session.interruptFlag.raise()
                return .void
            }
        }
        return configuration
    }
}

@Suite struct BindingsTrainingTests {
    /// A harness whose cells can raise the interrupt flag themselves, deterministically.
    private func harness() -> CellHarness {
        let harness = CellHarness(configuration: .raisingInterrupts)
        harness.run(
            """
            seed(7)
            let data = Synthetic.blobs(centers: 3, pointsPerCenter: 60, standardDeviation: 0.5)
            var model = Sequential { Dense(2, 16, activation: relu); Dense(16, 3) }
            let opt = Adam(learningRate: 0.05)
            """)
        return harness
    }

    @Test func fitPrintsOneLinePerEpochAndLearns() {
        let harness = harness()
        let run = harness.run(
            "let history = model.fit(data, epochs: 4, batchSize: 30, optimizer: opt, verbose: 2)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.first?.hasPrefix("epoch 1/4  ") == true)
        #expect(lines.last?.contains("accuracy ") == true)
        #expect(harness.run("history.epochs").result == "4")
        #expect(harness.run("history[\"accuracy\"].last! > 0.9").result == "true")
        #expect(harness.run("history.outcome").result == "\"completed\"")
    }

    @Test func evaluateReturnsLossFirstThenMetrics() throws {
        let harness = harness()
        harness.run("model.fit(data, epochs: 3, optimizer: opt, verbose: false)")
        let result = try #require(
            harness.run("Array(model.evaluate(data, metrics: [.accuracy, \"f1\"]).keys)").result)
        #expect(result == "[\"loss\", \"accuracy\", \"f1\"]")
        #expect(harness.run("model.evaluate(data)[\"accuracy\"]! > 0.9").result == "true")
        #expect(harness.run("model.predict(data).shape").result == "[180, 3]")
    }

    @Test func aHandWrittenTrainingStepLowersTheLoss() {
        let harness = harness()
        harness.run(
            """
            func trainStep(_ x, _ y) {
                let (loss, grads) = valueWithGradient(of: model) { m in
                    softmaxCrossEntropy(m(x), y) + 1e-4 * l2(m)
                }
                opt.update(model, along: grads)
                return loss
            }
            var losses: [Double] = []
            for epoch in 1...5 {
                for (x, y) in data.batches(of: 30, shuffled: true) { losses.append(trainStep(x, y).scalar) }
            }
            """)
        #expect(harness.run("losses.count").result == "30")
        #expect(harness.run("losses.last! < losses.first! / 2").result == "true")
    }

    @Test func lossesAndMetricsCanBeCellClosures() {
        let harness = harness()
        let run = harness.run(
            """
            func myLoss(_ logits, _ labels) { softmaxCrossEntropy(logits, labels) * 2 }
            let history = model.fit(data, epochs: 1, optimizer: opt, loss: myLoss,
                                    metrics: [{ p, y in 0.5 }], verbose: false)
            history.metricNames
            """)
        #expect(run.result?.hasPrefix("[\"loss\", ") == true)
        #expect(harness.run("history.history.count").result == "2")
    }

    @Test func aClosureCallbackSeesEveryEpochAndCanStopTraining() {
        let harness = harness()
        let run = harness.run(
            """
            var seen: [Int] = []
            let history = model.fit(
                data, epochs: 10, optimizer: opt,
                callbacks: [{ epoch, logs in seen.append(epoch); return epoch < 3 }], verbose: false)
            """)
        #expect(run.error == nil)
        #expect(harness.run("seen").result == "[1, 2, 3]")
        #expect(harness.run("history.epochs").result == "3")
    }

    @Test func anInterruptKeepsTheModelAndTheHistory() throws {
        let harness = harness()
        harness.run("let before = model(Tensor([[0, 0]]))")
        let run = harness.run(
            """
            model.fit(
                data, epochs: 50, batchSize: 30, optimizer: opt,
                callbacks: [{ epoch, logs in if epoch == 2 { raiseInterrupt() } }], verbose: false)
            """)
        let error = try #require(run.error)
        #expect(error.name == "KeyboardInterrupt")
        #expect(harness.run("model.history!.epochs").result == "2")
        #expect(harness.run("model.history!.outcome").result?.contains("interrupted") == true)
        #expect(harness.run("model(Tensor([[0, 0]])).allClose(before)").result == "false")
    }

    /// Racy while tests share one process: `seed` reseeds Tensor's process-wide default
    /// generator, which tests running in parallel reseed (every interpreter's set-up) and draw
    /// from. Reproducibility is asserted in a process of its own by test step 60 (`%seed`).
    @Test(.disabled("needs a per-session generator in Tensor; see test step 60"))
    func seedMakesTrainingReproducible() {
        let harness = CellHarness()
        let cell = """
            seed(3)
            let set = Synthetic.moons(count: 64)
            let net = Sequential { Dense(2, 8, activation: tanh); Dense(8, 2) }
            net.fit(set, epochs: 2, batchSize: 16, optimizer: SGD(learningRate: 0.1), verbose: false)
            net.evaluate(set)["loss"]!
            """
        let first = harness.run(cell).result
        #expect(first != nil)
        #expect(harness.run(cell).result == first)
    }

    @Test func badFitArgumentsAreErrors() throws {
        let harness = harness()
        let missing = try #require(harness.run("model.fit(data, epochs: 1)").error)
        #expect(missing.value.contains("optimizer"))
        let negative = try #require(
            harness.run("model.fit(data, epochs: 1, batchSize: 0, optimizer: opt)").error)
        #expect(negative.value.contains("batchSize"))
        #expect(harness.run("model.count").result == "2")
    }
}

/// Interrupts that reach training through cell code called inside a batch.
@Suite struct BindingsTrainingInterruptTests {
    @Test func anInterruptInsideAUserLayerIsStillAKeyboardInterrupt() throws {
        let harness = CellHarness(configuration: .raisingInterrupts)
        harness.run(
            """
            struct Stopper: Layer {
                var inner = Dense(2, 2)
                func callAsFunction(_ x) {
                    raiseInterrupt()
                    return inner(x)
                }
            }
            let model = Sequential { Stopper(); Dense(2, 2) }
            """)
        let run = harness.run(
            "model.fit(Synthetic.xor(count: 64), epochs: 3, optimizer: SGD(), verbose: false)")
        let error = try #require(run.error)
        #expect(error.name == "KeyboardInterrupt")
        #expect(harness.run("model.count").result == "2")
    }

    @Test func aCellErrorInsideABatchKeepsItsMessage() throws {
        let harness = CellHarness()
        harness.run(
            """
            struct Broken: Layer {
                func callAsFunction(_ x) { x + "oops" }
            }
            let model = Sequential { Broken(); Dense(2, 2) }
            """)
        let error = try #require(
            harness.run("model.fit(Synthetic.xor(count: 8), optimizer: SGD(), verbose: false)")
                .error)
        #expect(error.value.contains("epoch 1, batch 1"))
        #expect(error.value.contains("Broken): TypeError: expected a Tensor"))
        #expect(error.value.contains("not String"))
    }
}
