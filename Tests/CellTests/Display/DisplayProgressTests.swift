import CellLibrary
import KernelInterface
import Testing

@testable import Cell

/// Live progress in cells: `fit` opens one display and updates it in place, or draws a `\r`
/// text bar, or per-epoch lines, as `%progress`, the kernelspec's environment and `verbose:` say.
@Suite struct DisplayProgressTests {
    /// A harness whose environment holds `progress` as TRAINBOOK_PROGRESS (nil for none set),
    /// with a small classification problem and a model.
    private func harness(progress: String? = nil) -> CellHarness {
        var configuration = CellInterpreter.Configuration.withLibrary
        configuration.environment = { name in
            name == "TRAINBOOK_PROGRESS" ? progress : nil
        }
        let harness = CellHarness(configuration: configuration)
        harness.run(
            """
            seed(11)
            let data = Synthetic.blobs(centers: 3, pointsPerCenter: 40, standardDeviation: 0.5)
            var model = Sequential { Dense(2, 8, activation: relu); Dense(8, 3) }
            let opt = Adam(learningRate: 0.05)
            """)
        return harness
    }

    private static let fit = "model.fit(data, epochs: 3, batchSize: 10, optimizer: opt"

    @Test func richProgressOpensOneDisplayAndUpdatesItInPlace() throws {
        let run = harness().run(Self.fit + ")")
        #expect(run.succeeded)
        var displayIDs: [String] = []
        var updateIDs: [String] = []
        for event in run.sink.events {
            switch event {
            case .display(_, let id): displayIDs.append(id ?? "")
            case .update(let bundle, let id):
                updateIDs.append(id)
                #expect(bundle[.html] != nil)
                #expect(bundle.plainText != nil)
            default: break
            }
        }
        let id = try #require(displayIDs.first)
        #expect(displayIDs.count == 1)
        #expect(id.hasPrefix("trainbook-progress-"))
        // Three epoch ends and the end are always drawn; steps only when due.
        #expect(updateIDs.count >= 4)
        #expect(updateIDs.allSatisfy { $0 == id })
        #expect(run.stdout.isEmpty)
    }

    @Test func theFinalStateShowsEveryEpochAndTheMetrics() throws {
        let run = harness().run(Self.fit + ")")
        let last = try #require(
            run.sink.events.last { event in
                if case .update = event { return true }
                return false
            })
        guard case .update(let bundle, _) = last else { return }
        let text = try #require(bundle.plainText)
        #expect(text.contains("3/3"))
        #expect(text.contains("loss"))
        #expect(text.contains("accuracy"))
    }

    @Test func eachFitGetsItsOwnDisplay() {
        let harness = harness()
        let first = harness.run(Self.fit + ")")
        let second = harness.run(Self.fit + ")")
        let ids = [first, second].flatMap { run in
            run.sink.events.compactMap { event -> String? in
                if case .display(_, let id) = event { return id }
                return nil
            }
        }
        #expect(ids.count == 2)
        #expect(Set(ids).count == 2)
    }

    @Test func textProgressRedrawsABarOnStdout() {
        let run = harness(progress: "text").run(Self.fit + ")")
        #expect(run.succeeded)
        #expect(
            !run.sink.events.contains { event in
                if case .display = event { return true }
                if case .update = event { return true }
                return false
            })
        #expect(run.stdout.hasPrefix("\r"))
        // Keras-style: each epoch's final bar stays on its own line.
        #expect(run.stdout.split(separator: "\n").count == 3)
    }

    @Test func theMagicOverridesTheEnvironment() {
        let harness = harness(progress: "text")
        #expect(harness.run("%progress").stdout.contains("text (from TRAINBOOK_PROGRESS)"))
        harness.run("%progress none")
        #expect(harness.run("%progress").stdout.contains("none (chosen with %progress)"))
        let run = harness.run(Self.fit + ")")
        #expect(run.succeeded)
        #expect(run.sink.events.isEmpty)
        harness.run("%progress rich")
        let rich = harness.run(Self.fit + ")")
        #expect(
            rich.sink.events.contains { event in
                if case .display = event { return true }
                return false
            })
    }

    @Test func aBadStyleIsAnErrorThatNamesTheChoices() throws {
        let error = try #require(harness().run("%progress fancy").error)
        #expect(error.value.contains("rich"))
        #expect(error.value.contains("\"fancy\""))
    }

    @Test func verboseChoosesLinesPerEpochOrNothing() {
        let harness = harness()
        for verbose in ["2", "Verbosity.epochs", "\"epochs\""] {
            let run = harness.run(Self.fit + ", verbose: \(verbose))")
            let lines = run.stdout.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines.first?.hasPrefix("epoch 1/3") == true)
            #expect(lines.last?.contains("accuracy") == true)
        }
        for verbose in ["false", "0", "Verbosity.silent"] {
            #expect(harness.run(Self.fit + ", verbose: \(verbose))").sink.events.isEmpty)
        }
        let error = harness.run(Self.fit + ", verbose: 7)").error
        #expect(error?.value.contains("verbose") == true)
    }

    @Test func aQuickEvaluationShowsNoProgress() {
        let run = harness().run("model.evaluate(data)")
        #expect(run.succeeded)
        #expect(run.sink.events.isEmpty)
    }
}
