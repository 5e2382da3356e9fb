import Foundation
import Testing

@testable import Tune

/// The JSON-lines journal: a round trip, a continued study drawing what an uninterrupted one
/// draws, a crash-truncated last line skipped with a warning, damage elsewhere an error.
@Suite struct JournalStorageTests {
    func temporaryPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tune-journal-\(UUID().uuidString)")
        return directory.appendingPathComponent(name).path
    }

    func objective(_ trial: Trial) throws -> Double {
        let rate = try trial.logUniform("rate", 1e-4...1e-1)
        let units = try trial.choice("units", [32, 64, 128])
        let act = try trial.choice("act", ["relu", "gelu"])
        if act == "gelu" { _ = try trial.uniform("dropout", 0...0.5) }
        for step in 1...3 { trial.report(rate * Double(step), step: step) }
        trial.constrain(rate - 0.05)
        if trial.number == 2 { throw TuneError.invalidArgument(function: "fit", message: "boom") }
        return rate * Double(units)
    }

    @Test func aReloadedStudyHasTheSameTrials() throws {
        let path = temporaryPath("study.jsonl")
        let first = try Study(sampler: .random(seed: 3), storage: path)
        try first.optimize(trials: 6, objective)
        let second = try Study(sampler: .random(seed: 3), storage: path)
        #expect(second.trials == first.trials)
        #expect(second.warnings.isEmpty)
        #expect(second.trials[2].state == .failed("fit: boom"))
        #expect(second.trials[0].intermediateValues.count == 3)
    }

    @Test func aContinuedStudyDrawsWhatAnUninterruptedOneDraws() throws {
        let path = temporaryPath("continued.jsonl")
        try Study(sampler: .tpe(seed: 8), storage: path).optimize(trials: 12, objective)
        let continued = try Study(sampler: .tpe(seed: 8), storage: path)
        try continued.optimize(trials: 8, objective)
        let uninterrupted = Study(sampler: .tpe(seed: 8))
        try uninterrupted.optimize(trials: 20, objective)
        #expect(continued.trials == uninterrupted.trials)
    }

    @Test func aContinuedHyperbandStudyPrunesAsAnUninterruptedOne() throws {
        // The issue's study: TPE with Hyperband, hand-written epochs; stopped after 15 trials.
        func objective(_ trial: Trial) throws -> Double {
            let rate = try trial.logUniform("rate", 1e-3...1)
            let layers = try trial.int("layers", 1...3)
            var accuracy = 0.0
            for epoch in 1...9 {
                accuracy = (1 - abs(log10(rate) + 1.5) / 2) * (1 - 1 / Double(epoch + layers))
                trial.report(accuracy, step: epoch)
                if trial.shouldPrune { throw TrialPruned() }
            }
            return accuracy
        }
        func study(_ path: String?) throws -> Study {
            let sampler = TPESampler(seed: 4)
            let pruner = HyperbandPruner(minResource: 1, maxResource: 9)
            guard let path else {
                return Study(direction: .maximize, sampler: sampler, pruner: pruner)
            }
            return try Study(direction: .maximize, sampler: sampler, pruner: pruner, storage: path)
        }
        let path = temporaryPath("hyperband.jsonl")
        try study(path).optimize(trials: 15, objective)
        let continued = try study(path)
        try continued.optimize(trials: 15, objective)
        let uninterrupted = try study(nil)
        try uninterrupted.optimize(trials: 30, objective)
        #expect(continued.trials == uninterrupted.trials)
        #expect(continued.trials.contains { $0.state == .pruned })
        #expect(continued.budgetUsed == uninterrupted.budgetUsed)
    }

    @Test func aTruncatedLastLineIsSkippedWithAWarning() throws {
        let path = temporaryPath("crash.jsonl")
        let study = try Study(sampler: .random(seed: 1), storage: path)
        try study.optimize(trials: 3, objective)
        // A crash in the middle of writing trial 3's start line.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"op":"start","tr"#.utf8))
        handle.closeFile()
        let reloaded = try Study(sampler: .random(seed: 1), storage: path)
        #expect(reloaded.trials == study.trials)
        #expect(reloaded.warnings.count == 1)
        #expect(reloaded.warnings.first?.contains("cut short") == true)
        // The broken tail is gone; new events follow intact ones.
        try reloaded.optimize(trials: 2, objective)
        let again = try Study(sampler: .random(seed: 1), storage: path)
        #expect(again.trials.count == 5)
        #expect(again.warnings.isEmpty)
    }

    @Test func aTrialRunningAtTheCrashIsMarkedInterrupted() throws {
        let path = temporaryPath("running.jsonl")
        let study = try Study(sampler: .random(seed: 1), storage: path)
        try study.optimize(trials: 2, objective)
        try study.storage?.append(.trialStarted(number: 2))
        let reloaded = try Study(sampler: .random(seed: 1), storage: path)
        #expect(reloaded.trials.map(\.state.name) == ["complete", "complete", "interrupted"])
        #expect(reloaded.warnings.count == 1)
    }

    @Test func damageBeforeTheLastLineAndOtherDirectionsAreErrors() throws {
        let path = temporaryPath("damaged.jsonl")
        try Study(sampler: .random(seed: 1), storage: path).optimize(trials: 2, objective)
        #expect(throws: TuneError.self) {
            try Study(direction: .maximize, sampler: .random(seed: 1), storage: path)
        }
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: #""op":"report""#, with: #""op":"#)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: TuneError.self) { try Study(sampler: .random(seed: 1), storage: path) }
    }

    @Test func eventsRoundTripThroughJSON() {
        let events: [StudyEvent] = [
            .studyCreated(directions: [.maximize, .minimize]),
            .trialStarted(number: 4),
            .parameterSet(
                number: 4, name: "rate", distribution: .float(1e-5...0.1, log: true),
                value: .double(0.000_123_456_789_012_345)),
            .parameterSet(
                number: 4, name: "units", distribution: .int(8...64, step: 8, log: false),
                value: .int(24)),
            .parameterSet(
                number: 4, name: "flag", distribution: .choice([true, false, "x", 1, 2.5]),
                value: .bool(false)),
            .reported(number: 4, step: 3, values: [0.1, .infinity]),
            .constrained(number: 4, values: [-1, 2]),
            .trialFinished(number: 4, state: .failed("bad \"quote\"\n"), values: []),
            .trialFinished(number: 5, state: .pruned, values: [-.infinity]),
        ]
        for event in events {
            #expect(StudyEvent(json: event.json) == event)
        }
        let nan = StudyEvent(json: StudyEvent.reported(number: 1, step: 1, values: [.nan]).json)
        if case .reported(_, _, let values) = nan { #expect(values.first?.isNaN == true) }
    }
}
