import CellLibrary
import Foundation
import KernelInterface
import Testing

@testable import Cell

/// Issue 13 in cells: a study whose objective is a cell closure, its samplers and pruners as
/// implicit members, `trial.reporting` in fit's callbacks, failing objectives, the grid running
/// out, seeds, a journal surviving a new interpreter, and the study's table and progress.
@Suite struct BindingsTuneTests {
    /// A harness with the given TRAINBOOK_PROGRESS (none by default: no live display).
    private func harness(progress: String? = "none") -> CellHarness {
        var configuration = CellInterpreter.Configuration.withLibrary
        configuration.environment = { name in name == "TRAINBOOK_PROGRESS" ? progress : nil }
        return CellHarness(configuration: configuration)
    }

    private static let quadratic = """
        let study = Study(direction: .minimize, sampler: .tpe(seed: 1))
        study.optimize(trials: 20) { trial in
            let x = trial.uniform("x", -4...4)
            let k = trial.int("k", 1...3)
            let kind = trial.choice("kind", ["a", "b"])
            return (x - 1) * (x - 1) + Double(k) + (kind == "a" ? 0.0 : 0.5)
        }
        """

    @Test func aStudyMinimizesACellObjective() throws {
        let harness = harness()
        let run = harness.run(Self.quadratic)
        #expect(run.succeeded, "\(String(describing: run.error))")
        #expect(harness.run("study.trials.count").result == "20")
        #expect(harness.run("study.best.value < 2.5").result == "true")
        #expect(harness.run("study.best.parameters[\"k\"]! is Int").result == "true")
        #expect(
            harness.run("study.trials.filter { $0.state == .complete }.count").result == "20")
        #expect(harness.run("study.trials[0].state != .pruned").result == "true")
        #expect(harness.run("study.best.number < 20").result == "true")
        let importances = try #require(harness.run("study.importances().keys.sorted()").result)
        #expect(importances == "[\"k\", \"kind\", \"x\"]")
    }

    @Test func aFitWithTrialReportingIsPrunedByHyperband() throws {
        let harness = harness()
        let run = harness.run(
            """
            seed(3)
            let data = Synthetic.blobs(centers: 3, pointsPerCenter: 30, standardDeviation: 0.8)
            let (train, valid) = data.split(validationFraction: 0.3)
            let study = Study(direction: .maximize, sampler: .tpe(seed: 1),
                              pruner: .hyperband(minResource: 1, maxResource: 9))
            study.optimize(trials: 12) { trial in
                let rate = trial.logUniform("learningRate", 1e-4...1e-1)
                let units = trial.choice("units", [4, 16])
                let model = Sequential { Dense(2, units, activation: relu); Dense(units, 3) }
                let history = model.fit(train, epochs: 9, batchSize: 16,
                                        optimizer: Adam(learningRate: rate), validation: valid,
                                        metrics: [.accuracy],
                                        callbacks: [trial.reporting("val_accuracy")],
                                        verbose: false)
                trial.keep(model)
                return history["val_accuracy"].last!
            }
            """)
        #expect(run.succeeded, "\(String(describing: run.error))")
        #expect(
            harness.run("study.trials.filter { $0.state == .pruned }.count > 0").result == "true")
        // Pruning stopped fit early: some pruned trial trained fewer than the full nine epochs
        // (Hyperband's last rung is step 9 itself, where a trial can be pruned after all nine).
        #expect(
            harness.run(
                "study.trials.filter { $0.state == .pruned && $0.steps.count < 9 }.count > 0"
            ).result == "true")
        #expect(
            harness.run("study.budgetUsed.used < study.budgetUsed.withoutPruning").result
                == "true")
        #expect(harness.run("study.best.value > 0.5").result == "true")
        // The kept model is the best trial's, ready to evaluate.
        #expect(
            harness.run(
                "study.best.model!.evaluate(valid, metrics: [.accuracy])[\"accuracy\"]! == study.best.value"
            )
            .result == "true")
    }

    @Test func aHandWrittenLoopReportsAndIsPrunedByTheMedianRule() {
        let harness = harness()
        let run = harness.run(
            """
            let study = Study(sampler: .random(seed: 3),
                              pruner: .median(warmupSteps: 2))
            study.optimize(trials: 12) { trial in
                let slope = trial.uniform("slope", 0...1)
                var loss = 1.0
                for step in 1...5 {
                    loss = slope / Double(step)
                    trial.report(loss, step: step)
                    if trial.shouldPrune { return loss }
                }
                trial.constrain(slope - 0.9)
                return loss
            }
            """)
        #expect(run.succeeded, "\(String(describing: run.error))")
        // The median rule (after five trials) stops some trials at step 2 or later.
        #expect(
            harness.run("study.trials.filter { $0.state == .pruned }.count > 0").result == "true")
        #expect(
            harness.run(
                "study.trials.filter { $0.state == .pruned }.allSatisfy { $0.steps.count < 5 && $0.steps.count >= 2 }"
            )
            .result == "true")
        #expect(
            harness.run(
                "study.trials.filter { $0.state == .complete }.allSatisfy { $0.intermediateValues[5]! == $0.value! }"
            )
            .result == "true")
        #expect(
            harness.run(
                "study.trials.filter { $0.state == .complete }.allSatisfy { $0.isFeasible == ($0.parameters[\"slope\"]! <= 0.9) }"
            )
            .result == "true")
        #expect(harness.run("study.best.record.isFeasible").result == "true")
    }

    @Test func aFailingObjectiveFailsItsTrialAndTheStudyGoesOn() throws {
        let harness = harness()
        let run = harness.run(
            """
            let study = Study(sampler: .random(seed: 2))
            study.optimize(trials: 6) { trial in
                let x = trial.uniform("x", 0...1)
                if trial.number % 2 == 1 { assert(false, "odd trial") }
                return x
            }
            """)
        #expect(run.succeeded, "\(String(describing: run.error))")
        #expect(harness.run("study.trials.filter { $0.state == .failed }.count").result == "3")
        #expect(
            harness.run("study.trials[1].state.message!.contains(\"odd trial\")").result == "true")
        let stopped = harness.run(
            """
            study.optimize(trials: 4, catch: false) { trial in
                assert(false, "stop here")
                return 1.0
            }
            """)
        #expect(stopped.error?.value.contains("stop here") == true)
        #expect(harness.run("study.trials.count").result == "7")
    }

    @Test func anInterruptMarksTheRunningTrialAndOptimizeContinues() throws {
        let harness = CellHarness(configuration: .raisingInterrupts)
        let run = harness.run(
            """
            let study = Study(sampler: .random(seed: 5))
            study.optimize(trials: 10) { trial in
                let x = trial.uniform("x", 0...1)
                if trial.number == 3 {
                    raiseInterrupt()
                    while true {}
                }
                return x
            }
            """)
        let error = try #require(run.error)
        #expect(error.name == "KeyboardInterrupt")
        #expect(harness.run("study.trials.count").result == "4")
        #expect(harness.run("study.trials[3].state == .interrupted").result == "true")
        #expect(
            harness.run("study.optimize(trials: 2) { t in t.uniform(\"x\", 0...1) }").succeeded)
        #expect(harness.run("study.trials.filter { $0.state == .complete }.count").result == "5")
    }

    @Test func badArgumentsAreClearErrors() {
        let harness = harness()
        #expect(
            harness.run("Study(pruner: .hyperband(minResource: 3, maxResource: 1))").error?.value
                .contains("1 ≤ minResource ≤ maxResource") == true)
        #expect(
            harness.run("Study(pruner: .successiveHalving(reductionFactor: 1))").error?.value
                .contains("reductionFactor ≥ 2") == true)
        harness.run("let study = Study()")
        let conflict = harness.run(
            """
            study.optimize(trials: 2, catch: false) { trial in
                trial.uniform("x", 0...Double(trial.number + 1))
            }
            """)
        #expect(conflict.error?.value.contains("x") == true)
        #expect(
            harness.run("study.optimize(trials: 1) { trial in \"text\" }").succeeded)
        #expect(
            harness.run("study.trials.last!.state.message!.contains(\"must return a number\")")
                .result == "true")
    }

    @Test func theGridEndsTheStudyWhenExhausted() {
        let harness = harness()
        harness.run(
            """
            let study = Study(sampler: .grid(["a": [1, 2, 3], "b": ["x", "y"]]))
            study.optimize(trials: 50) { trial in
                Double(trial.choice("a", [1, 2, 3])) + (trial.choice("b", ["x", "y"]) == "x" ? 0.0 : 0.5)
            }
            """)
        #expect(harness.run("study.trials.count").result == "6")
        #expect(
            harness.run(
                "study.trials.map { \"\\($0.parameters[\"a\"]!)\\($0.parameters[\"b\"]!)\" }.sorted()"
            )
            .result == #"["1x", "1y", "2x", "2y", "3x", "3y"]"#)
        #expect(harness.run("study.best.value").result == "1.0")
    }

    @Test func seedRepeatsAStudyWithUnseededSamplers() {
        let harness = harness()
        let study = """
            seed(9)
            let study = Study(sampler: .tpe())
            study.optimize(trials: 14) { trial in trial.uniform("x", 0...1) }
            """
        harness.run(study)
        let first = harness.run("study.trials.map { $0.value! }").result
        harness.run(study)
        #expect(harness.run("study.trials.map { $0.value! }").result == first)
        harness.run(
            "seed(10)\nlet other = Study(sampler: .random())\nother.optimize(trials: 3) { t in t.uniform(\"x\", 0...1) }"
        )
        #expect(harness.run("other.trials.map { $0.value! }").result != first)
    }

    @Test func aJournalSurvivesANewInterpreter() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("trainbook-tune-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("study.jsonl").path
        let cell = """
            let study = Study(sampler: .tpe(seed: 4), storage: "\(path)")
            study.optimize(trials: 5) { trial in
                let x = trial.uniform("x", -2...2)
                return x * x
            }
            """
        let first = harness()
        #expect(first.run(cell).succeeded)
        let values = try #require(first.run("study.trials.map { $0.value! }").result)
        let second = harness()
        #expect(second.run(cell).succeeded)
        #expect(second.run("study.trials.count").result == "10")
        #expect(
            second.run("Array(study.trials.map { $0.value! }.prefix(5))").result == values)
    }

    @Test func aMultiObjectiveStudyHasAParetoFront() {
        let harness = harness()
        let run = harness.run(
            """
            let study = Study(directions: [.maximize, .minimize], sampler: .nsga2(seed: 3))
            study.optimize(trials: 16) { trial in
                let x = trial.uniform("x", 0...1)
                return [x, x * x + 0.1]
            }
            """)
        #expect(run.succeeded, "\(String(describing: run.error))")
        #expect(harness.run("study.paretoFront.count == 16").result == "true")
        #expect(harness.run("study.best").error?.value.contains("paretoFront") == true)
        #expect(harness.run("study.plotParetoFront()").succeeded)
    }

    @Test func theStudyShowsAsATableAndAChart() throws {
        let harness = harness()
        harness.run(Self.quadratic)
        let run = harness.run("study")
        let text = try #require(run.result)
        #expect(text.hasPrefix("Study (minimize): 20 trials — 20 complete in "))
        #expect(text.contains(" s; best "))
        #expect(text.contains("trial  state     value"))
        #expect(text.contains("steps  seconds  x"))
        #expect(harness.run("study.seconds > 0").result == "true")
        #expect(harness.run("study.trials.allSatisfy { $0.seconds != nil }").result == "true")
        guard case .success(let bundle?) = run.outcome else {
            Issue.record("no bundle")
            return
        }
        let html = try #require(bundle[.html])
        #expect(html.contains("<table"))
        #expect(html.contains("complete"))
        #expect(harness.run("study.plot()").succeeded)
        #expect(harness.run("study.plotIntermediate()").succeeded)
        #expect(harness.run("study.plotImportances()").succeeded)
    }

    @Test func theParameterChartsAreStudyPlotKinds() throws {
        let harness = harness()
        harness.run(Self.quadratic)
        for kind in [
            ".slice", ".parallelCoordinates", ".contour(x: \"x\", y: \"k\")", ".history",
            ".intermediate", ".importances",
        ] {
            let run = harness.run("study.plot(\(kind), title: \"chart\")")
            #expect(run.succeeded, "\(kind): \(String(describing: run.error))")
            guard case .success(let bundle?) = run.outcome else {
                Issue.record("\(kind): no bundle")
                continue
            }
            #expect(bundle[.png] != nil || bundle[.svg] != nil, "\(kind)")
        }
        #expect(harness.run("study.plot()").succeeded)
        let unknown = harness.run("study.plot(.contour(x: \"nope\", y: \"x\"))")
        #expect(unknown.error?.value.contains("no parameter 'nope'") == true)
        #expect(unknown.error?.value.contains("x, k, kind") == true)
        let same = harness.run("study.plot(.contour(x: \"x\", y: \"x\"))")
        #expect(same.error?.value.contains("two different parameters") == true)
    }

    @Test func richProgressUpdatesOneDisplayInPlace() throws {
        let harness = harness(progress: "rich")
        let run = harness.run(
            """
            let study = Study(sampler: .random(seed: 1))
            study.optimize(trials: 4) { trial in trial.uniform("x", 0...1) }
            """)
        #expect(run.succeeded)
        var displayIDs: [String] = []
        var updates: [(MimeBundle, String)] = []
        for event in run.sink.events {
            switch event {
            case .display(_, let id): displayIDs.append(id ?? "")
            case .update(let bundle, let id): updates.append((bundle, id))
            default: break
            }
        }
        let id = try #require(displayIDs.first)
        #expect(displayIDs.count == 1)
        #expect(updates.count >= 4)
        #expect(updates.allSatisfy { $0.1 == id })
        let last = try #require(updates.last?.0.plainText)
        #expect(last.contains("4/4") && last.contains("best "))
    }

    @Test func textProgressPrintsOneLinePerTrial() {
        let harness = harness(progress: "text")
        let run = harness.run(
            """
            let study = Study(sampler: .random(seed: 1))
            study.optimize(trials: 3) { trial in trial.uniform("x", 0...1) }
            """)
        #expect(run.succeeded)
        let lines = run.stdout.split(separator: "\n").map { line in
            String(line.split(separator: "\r").last ?? "")
        }
        // One finished line per trial: its number, state, value, trials done and best so far.
        for number in 0..<3 {
            #expect(
                lines.contains { line in
                    line.hasPrefix("Study: trial \(number) complete (")
                        && line.contains("\(number + 1)/3") && line.contains("best ")
                }, "\(lines)")
        }
    }
}

/// Completion, inspection and `%help` know the tuning names.
@Suite struct BindingsTuneHelpTests {
    @Test func completionOffersTheTuningNames() throws {
        let harness = CellHarness()
        harness.run("let study = Study(direction: .maximize)")
        let interpreter = harness.interpreter
        #expect(interpreter.complete("study.optim", cursor: 11).matches.map(\.text) == ["optimize"])
        #expect(
            interpreter.complete("study.pa", cursor: 8).matches.map(\.text).first == "paretoFront")
        #expect(
            interpreter.complete("Study(direction: .max", cursor: 21).matches.map(\.text)
                == ["maximize"])
        let samplers = interpreter.complete("Study(sampler: .", cursor: 16).matches.map(\.text)
        #expect(
            Set(["grid", "random", "tpe", "gaussianProcess", "nsga2"]).isSubset(of: samplers))
        let pruners = interpreter.complete("Study(pruner: .", cursor: 15).matches.map(\.text)
        #expect(Set(["median", "successiveHalving", "hyperband"]).isSubset(of: pruners))
        let labels = interpreter.complete("study.optimize(tr", cursor: 17).matches.map(\.text)
        #expect(labels.first == "trials: ")
        let doc = try #require(
            interpreter.inspect("study.optimize", cursor: 14, detailLevel: 0)?.plainText)
        #expect(doc.contains("optimize(trials: Int, catch: Bool = true"))
    }

    @Test func helpDescribesTheTuningTypes() {
        let harness = CellHarness()
        for (name, member) in [
            ("Study", "optimize"), ("Trial", "logUniform"), ("Trial", "reporting"),
            ("TrialRecord", "intermediateValues"), ("Sampler", "gaussianProcess"),
            ("Pruner", "hyperband"), ("TrialState", "pruned"),
        ] {
            let run = harness.run("%help \(name)")
            let text = run.sink.events.compactMap { event -> String? in
                if case .page(let bundle) = event { return bundle.plainText }
                return nil
            }.joined()
            #expect(text.contains(member), "%help \(name): \(text)")
        }
    }
}
