import Foundation
import Testing

@testable import Tune

struct Interrupt: Error {}

/// Studies and trials: best, failures, interruption and continuation, conditional parameters,
/// seeds, budgets.
@Suite struct StudyTests {
    @Test func bestFollowsTheDirection() throws {
        for direction in StudyDirection.allCases {
            let study = Study(direction: direction, sampler: .random(seed: 5))
            try study.optimize(trials: 20) { trial in
                let x = try trial.uniform("x", -1...1)
                trial.keep("model \(trial.number)")
                return x * x
            }
            let best = try study.best
            let values = study.trials.compactMap(\.value)
            #expect(best.value == (direction == .minimize ? values.min() : values.max()))
            #expect(best.model as? String == "model \(best.number)")
            #expect(best.parameters["x"]?.doubleValue.map { $0 * $0 } == best.value)
        }
        #expect(throws: TuneError.noCompletedTrials) { try Study().best }
    }

    @Test func aFailingObjectiveFailsItsTrialAndTheStudyGoesOn() throws {
        let study = Study(sampler: .random(seed: 1))
        try study.optimize(trials: 4) { trial in
            if trial.number == 1 { throw TuneError.invalidArgument(function: "f", message: "boom") }
            if trial.number == 2 { return Double.nan }
            return Double(trial.number)
        }
        #expect(study.trials.map(\.state.name) == ["complete", "failed", "failed", "complete"])
        #expect(study.trials[1].state == .failed("f: boom"))
        #expect(study.trials[2].state == .failed("the objective returned nan"))
        // catch: false stops the study at the first failure and rethrows it.
        #expect(throws: TuneError.self) {
            try study.optimize(trials: 3, catch: false) { _ -> Double in
                throw TuneError.invalidArgument(function: "g", message: "stop")
            }
        }
        #expect(study.trials.count == 5)
    }

    @Test func anInterruptMarksTheRunningTrialAndTheStudyContinues() throws {
        let study = Study(sampler: .random(seed: 1))
        study.interruptHandling = InterruptHandling(recognizes: { $0 is Interrupt })
        #expect(throws: Interrupt.self) {
            try study.optimize(trials: 10) { trial in
                if trial.number == 3 { throw Interrupt() }
                return try trial.uniform("x", 0...1)
            }
        }
        #expect(
            study.trials.map(\.state.name) == ["complete", "complete", "complete", "interrupted"])
        try study.optimize(trials: 2) { try $0.uniform("x", 0...1) }
        #expect(study.trials.count == 6)
        #expect(study.trials.filter { $0.state == .complete }.count == 5)
        // The check before each trial stops the study without starting one.
        var calls = 0
        study.interruptHandling.check = {
            calls += 1
            if calls == 2 { throw Interrupt() }
        }
        #expect(throws: Interrupt.self) {
            try study.optimize(trials: 5) { try $0.uniform("x", 0...1) }
        }
        #expect(study.trials.count == 7)
    }

    @Test func conditionalParametersAppearOnlyInTheirBranch() throws {
        let study = Study(sampler: .random(seed: 2))
        try study.optimize(trials: 30) { trial in
            let kind = try trial.choice("optimizer", ["sgd", "adam"])
            if kind == "sgd" { return try trial.uniform("momentum", 0...0.99) }
            return try trial.logUniform("beta2", 0.9...0.9999)
        }
        for record in study.trials {
            let sgd = record.parameters["optimizer"] == "sgd"
            #expect((record.parameters["momentum"] != nil) == sgd)
            #expect((record.parameters["beta2"] != nil) == !sgd)
        }
    }

    @Test func theSameSeedRepeatsAStudyExactly() throws {
        func run(_ seed: UInt64) throws -> [[String: ParameterValue]] {
            let study = Study(sampler: .random(seed: seed))
            try study.optimize(trials: 8) { trial in
                try trial.uniform("a", 0...1) + Double(try trial.int("b", 1...5))
            }
            return study.trials.map(\.parameters)
        }
        #expect(try run(11) == run(11))
        #expect(try run(11) != run(12))
    }

    @Test func theObjectiveMustReturnOneValuePerDirection() throws {
        let study = try Study(directions: [.minimize, .maximize])
        #expect(throws: TuneError.self) {
            try study.optimize(trials: 1) { _ in 1.0 }
        }
        try study.optimize(trials: 1) { _ in [1.0, 2.0] }
        #expect(study.trials.last?.values == [1, 2])
        #expect(throws: TuneError.self) { try study.best }
    }

    @Test func aTrialUsedAfterItEndedIsAnErrorNotACorruption() throws {
        let study = Study(sampler: .random(seed: 1))
        var kept: Trial?
        try study.optimize(trials: 1) { trial in
            kept = trial
            return try trial.uniform("x", 0...1)
        }
        let trial = try #require(kept)
        #expect(throws: TuneError.self) { try trial.uniform("y", 0...1) }
        trial.report(1, step: 1)
        #expect(study.trials[0].intermediateValues.isEmpty)
        #expect(study.warnings.count == 1)
    }

    @Test func stopEndsTheStudyAfterTheRunningTrial() throws {
        let study = Study(sampler: .random(seed: 1))
        let outcome = try study.optimize(trials: 10) { trial in
            if trial.number == 2 { trial.study?.stop() }
            return 1.0
        }
        #expect(outcome == .stopped)
        #expect(study.trials.count == 3)
    }

    @Test func constraintsMakeFeasibleTrialsBest() throws {
        let study = Study(direction: .minimize, sampler: .random(seed: 4))
        try study.optimize(trials: 30) { trial in
            let x = try trial.uniform("x", 0...1)
            trial.constrain(0.5 - x)  // feasible when x ≥ 0.5
            return x
        }
        let best = try study.best
        #expect(best.record.isFeasible)
        let feasible = study.trials.filter(\.isFeasible).compactMap(\.value)
        #expect(best.value == feasible.min())
    }

    @Test func budgetCountsStepsAgainstTheUnprunedCost() throws {
        let study = Study(sampler: .random(seed: 1))
        try study.optimize(trials: 3) { trial in
            let epochs = trial.number == 1 ? 3 : 9
            for step in 1...epochs { trial.report(Double(step), step: step) }
            if trial.number == 1 { throw TrialPruned() }
            return 1.0
        }
        #expect(study.trials.map(\.state) == [.complete, .pruned, .complete])
        #expect(study.trials[1].values == [3])
        #expect(study.budgetUsed == BudgetUsage(used: 21, withoutPruning: 27))
    }
}

/// The study's text table.
@Suite struct StudyDescriptionTests {
    @Test func theTableShowsStatesValuesStepsAndParameters() throws {
        let study = Study(direction: .maximize, sampler: .grid(["units": [32, 64, 128]]))
        try study.optimize(trials: 3) { trial in
            let units = try trial.choice("units", [32, 64, 128])
            trial.report(0.5, step: 1)
            if units == 64 { throw TrialPruned() }
            if units == 128 { throw TuneError.noCompletedTrials }
            return 0.875
        }
        // The wall-clock seconds vary from run to run: each is matched as a number.
        let lines = study.description.split(separator: "\n").map(String.init)
        let summary = try Regex(
            #"Study \(maximize\): 3 trials — 1 complete, 1 pruned, 1 failed in \d+\.\d\d s; "#
                + #"best 0\.875 \(trial 0\)"#)
        #expect(lines[0].wholeMatch(of: summary) != nil, "\(lines[0])")
        #expect(lines[1] == "trial  state     value  steps  seconds  units")
        #expect(lines[2].wholeMatch(of: /\ {4}0  complete  0\.875      1 +\d+\.\d\d  32/) != nil)
        #expect(lines[3].wholeMatch(of: /\ {4}1  pruned      0\.5      1 +\d+\.\d\d  64/) != nil)
        #expect(lines[4].wholeMatch(of: /\ {4}2  failed               1 +\d+\.\d\d  128/) != nil)
        #expect(Study().description == "Study (minimize): 0 trials")
    }
}

/// A sampler that cannot start a trial: the trial is failed, not left running.
struct FailingSampler: Sampler {
    func startTrial(_ number: Int, history: StudyHistory) throws(TuneError) -> [String: Double] {
        throw .unsupported(component: "failing", message: "no trial \(number)")
    }

    func sample(
        _ name: String, _ distribution: Distribution, trial: TrialRecord, history: StudyHistory
    ) throws(TuneError) -> ParameterValue {
        .int(0)
    }
}

@Suite struct SamplerFailureTests {
    @Test func aSamplerFailureFailsTheTrialItWasStarting() {
        let study = Study(sampler: FailingSampler())
        #expect(throws: TuneError.self) { try study.optimize(trials: 2) { _ in 0.0 } }
        #expect(study.trials.map(\.state) == [.failed("failing: no trial 0")])
    }

    @Test func everyFinishedTrialKeepsItsWallClockTime() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tune-seconds-\(UUID().uuidString).jsonl"
        ).path
        let study = try Study(sampler: .random(seed: 1), storage: path)
        try study.optimize(trials: 3) { trial in
            let x = try trial.uniform("x", 0...1)
            Thread.sleep(forTimeInterval: 0.02 * Double(trial.number + 1))
            if trial.number == 1 { throw TuneError.invalidArgument(function: "f", message: "no") }
            return x
        }
        let seconds = study.trials.map { $0.seconds ?? -1 }
        #expect(seconds[0] >= 0.02 && seconds[1] >= 0.04 && seconds[2] >= 0.06)
        #expect(seconds.allSatisfy { $0 < 5 })
        #expect(abs(study.seconds - seconds.reduce(0, +)) < 1e-12)
        #expect(study.description.contains("seconds"))
        #expect(study.summary.contains(" s;"))
        // The journal keeps the durations.
        let reloaded = try Study(sampler: .random(seed: 1), storage: path)
        #expect(reloaded.trials.map(\.seconds) == study.trials.map(\.seconds))
    }
}
