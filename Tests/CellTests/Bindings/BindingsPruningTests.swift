import CellLibrary
import Foundation
import KernelInterface
import Testing

@testable import Cell

/// Weight pruning in cells (issue 15): `prune` in place with both scopes, `model.sparsity` and
/// the summary's sparsity column, `PruningSchedule` in `fit`, `pruneUnits`, `copy()`, pruned
/// models saved as smaller CSR files and loaded back pruned, and errors as ValueErrors.
@Suite struct BindingsPruningTests {
    private func harness() -> CellHarness {
        var configuration = CellInterpreter.Configuration.withLibrary
        configuration.environment = { name in name == "TRAINBOOK_PROGRESS" ? "none" : nil }
        return CellHarness(configuration: configuration)
    }

    private static let setUp = """
        seed(4)
        let data = Synthetic.blobs(centers: 3, pointsPerCenter: 30, standardDeviation: 0.8)
        let model = Sequential { Dense(2, 32, activation: relu); Dense(32, 32, activation: relu); Dense(32, 3) }
        model.fit(data, epochs: 2, batchSize: 16, optimizer: Adam(learningRate: 0.01), verbose: false)
        """

    @Test func pruneInPlaceKeepsPrunedWeightsAtZeroThroughFit() throws {
        let harness = harness()
        #expect(harness.run(Self.setUp).succeeded)
        #expect(harness.run("model.sparsity").result == "0.0")
        let run = harness.run(
            """
            let original = model.copy()
            prune(model, sparsity: 0.8, scope: .global)
            let nonZero = model.nonZeroParameterCount
            model.fit(data, epochs: 2, batchSize: 16, optimizer: Adam(learningRate: 0.01), verbose: false)
            """)
        #expect(run.succeeded, "\(String(describing: run.error))")
        #expect(harness.run("abs(model.sparsity - 0.8) < 0.01").result == "true")
        #expect(harness.run("model.nonZeroParameterCount <= nonZero").result == "true")
        #expect(harness.run("original.sparsity").result == "0.0")
        #expect(harness.run("prune(original, sparsity: 0.5, scope: .layer)").succeeded)
        #expect(
            harness.run("original.weightSparsities.values.allSatisfy { abs($0 - 0.5) < 0.01 }")
                .result == "true")
        let summary = harness.run("print(model.summary())").stdout
        #expect(summary.contains("Sparsity"), "\(summary)")
        let plain = harness.run("print(Sequential { Dense(2, 3) }.summary())").stdout
        #expect(!plain.contains("Sparsity"))
    }

    @Test func aPruningScheduleReachesItsTargetDuringFit() throws {
        let harness = harness()
        #expect(harness.run(Self.setUp).succeeded)
        let run = harness.run(
            """
            let schedule = PruningSchedule(target: 0.9, start: 0, end: 2, frequency: 2)
            model.fit(data, epochs: 3, batchSize: 16, optimizer: SGD(learningRate: 0.05, momentum: 0.9),
                      callbacks: [schedule], verbose: false)
            """)
        #expect(run.succeeded, "\(String(describing: run.error))")
        #expect(harness.run("abs(model.sparsity - 0.9) < 0.01").result == "true")
        #expect(
            harness.run("schedule.sparsity(afterStep: 50, batchesPerEpoch: 100)").result
                == "0.5203125")  // 0.9 − 0.9·(1 − 50/200)³
    }

    @Test func pruneUnitsMakesASmallerModel() throws {
        let harness = harness()
        #expect(harness.run(Self.setUp).succeeded)
        let run = harness.run("let smaller = pruneUnits(model, fraction: 0.5, by: .l1)")
        #expect(run.succeeded, "\(String(describing: run.error))")
        #expect(
            harness.run("smaller.parameterCount < model.parameterCount * 6 / 10").result == "true")
        #expect(harness.run("smaller.evaluate(data)[\"loss\"]! > 0").result == "true")
    }

    @Test func aPrunedModelSavesSmallerAndLoadsBackPruned() throws {
        let harness = harness()
        #expect(harness.run(Self.setUp).succeeded)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("prune-cells-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sparse = directory.appendingPathComponent("sparse.safetensors").path
        let dense = directory.appendingPathComponent("dense.safetensors").path
        let run = harness.run(
            """
            let model = Sequential { Dense(2, 256, activation: relu); Dense(256, 256, activation: relu); Dense(256, 3) }
            prune(model, sparsity: 0.9, scope: .global)
            model.save(to: "\(sparse)")
            model.save(to: "\(dense)", sparse: false)
            let loaded = loadModel(from: "\(sparse)")
            loaded.fit(data, epochs: 1, batchSize: 16, optimizer: Adam(learningRate: 0.01), verbose: false)
            """)
        #expect(run.succeeded, "\(String(describing: run.error))")
        let sizes = try [sparse, dense].map {
            try #require(FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int)
        }
        #expect(sizes[0] * 3 < sizes[1])
        #expect(harness.run("abs(loaded.sparsity - 0.9) < 0.01").result == "true")
        #expect(
            harness.run("loaded.nonZeroParameterCount <= model.nonZeroParameterCount").result
                == "true")
    }

    @Test func iterativePruningRewindsAndReachesItsTarget() throws {
        let harness = harness()
        let run = harness.run(
            """
            seed(4)
            let data = Synthetic.blobs(centers: 3, pointsPerCenter: 30, standardDeviation: 0.8)
            let model = Sequential { Dense(2, 32, activation: relu); Dense(32, 3) }
            let lottery = IterativePruning(target: 0.75, rounds: 2, rewind: .epoch(1))
            let rounds = lottery.run(model, on: data, epochs: 3, batchSize: 16,
                                     optimizer: SGD(learningRate: 0.05, momentum: 0.9))
            """)
        #expect(run.succeeded, "\(String(describing: run.error))")
        #expect(harness.run("rounds.count").result == "3")
        #expect(harness.run("abs(rounds[2][\"sparsity\"]! - 0.75) < 0.01").result == "true")
        #expect(harness.run("abs(model.sparsity - 0.75) < 0.01").result == "true")
        #expect(
            harness.run("lottery").result
                == "IterativePruning(target: 0.75, rounds: 2, rewind: .epoch(1))")
    }

    @Test func compareShowsModelsSideBySide() throws {
        let harness = harness()
        #expect(harness.run(Self.setUp).succeeded)
        let run = harness.run(
            """
            let pruned = model.copy()
            prune(pruned, sparsity: 0.9, scope: .global)
            let smaller = pruneUnits(model, fraction: 0.5)
            let table = compare([model, pruned, smaller], on: data, names: ["dense", "pruned", "half"], runs: 3)
            """)
        #expect(run.succeeded, "\(String(describing: run.error))")
        #expect(harness.run("table.rows.count").result == "3")
        #expect(
            harness.run(
                "(table.rows[1][\"nonZeros\"]! as! Int) * 4 < (table.rows[0][\"nonZeros\"]! as! Int)"
            ).result
                == "true")
        let shown = harness.run("table")
        #expect(
            shown.result?.contains("latency, batch 1") == true,
            "\(String(describing: shown.result))")
        #expect(shown.result?.contains("pruned") == true)
        #expect(harness.run("table.plot()").succeeded)
        let unnamed = harness.run("compare([model, pruned], on: data, runs: 1).rows[1][\"name\"]!")
        #expect(
            unnamed.result?.contains("90% sparse") == true, "\(String(describing: unnamed.result))")
        #expect(!harness.run("compare([model], on: data, names: [\"a\", \"b\"])").succeeded)
    }

    @Test func badArgumentsAreValueErrors() throws {
        let harness = harness()
        #expect(harness.run(Self.setUp).succeeded)
        let run = harness.run("prune(model, sparsity: 1.5)")
        #expect(!run.succeeded)
        #expect(String(describing: run.error).contains("ValueError"))
        #expect(String(describing: run.error).contains("0...1"))
        let units = harness.run("pruneUnits(model, fraction: 1)")
        #expect(String(describing: units.error).contains("fraction"))
    }
}
