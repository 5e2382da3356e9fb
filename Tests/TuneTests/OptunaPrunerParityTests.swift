import Foundation
import Testing

@testable import Tune

/// The pruners against Optuna's on the same learning curves: Optuna's decisions were recorded
/// by bench/peers/optuna_pruner_decisions.py (Optuna 5.0.0) in
/// Fixtures/optuna-pruner-decisions.json; each case replays the curves through the same rule
/// here, trial after trial, and every trial must stop at the step Optuna stopped it (or
/// complete where Optuna let it).
@Suite struct OptunaPrunerParityTests {
    struct Recording: Decodable {
        let optuna: String
        let curves: [[Double]]
        let prunedAt: [String: [Int?]]
    }

    static let recording: Recording? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/optuna-pruner-decisions.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(Recording.self, from: data)
    }()

    /// The step each trial was pruned at (nil: complete), curves run one after another.
    func replay(_ pruner: some Pruner, _ curves: [[Double]]) throws -> [Int?] {
        let study = Study(direction: .maximize, sampler: .random(seed: 1), pruner: pruner)
        try study.optimize(trials: curves.count, catch: false) { trial in
            let curve = curves[trial.number]
            for (index, value) in curve.enumerated() {
                trial.report(value, step: index + 1)
                if trial.shouldPrune { throw TrialPruned() }
            }
            return curve.last ?? 0
        }
        return study.trials.map { $0.state == .pruned ? $0.lastStep : nil }
    }

    static let cases: [(String, any Pruner)] = [
        (
            "successiveHalving(minResource: 1, reductionFactor: 3)",
            SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        ),
        (
            "successiveHalving(minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 1)",
            SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3, minEarlyStoppingRate: 1)
        ),
        (
            "successiveHalving(minResource: 2, reductionFactor: 2)",
            SuccessiveHalvingPruner(minResource: 2, reductionFactor: 2)
        ),
        (
            "median(warmupSteps: 0, startupTrials: 5)",
            MedianPruner(warmupSteps: 0, startupTrials: 5)
        ),
        (
            "median(warmupSteps: 3, startupTrials: 5)",
            MedianPruner(warmupSteps: 3, startupTrials: 5)
        ),
    ]

    @Test(arguments: cases.map(\.0))
    func decidesAsOptuna(_ name: String) throws {
        let recording = try #require(Self.recording, "the fixture did not load")
        let expected = try #require(recording.prunedAt[name], "no recording of \(name)")
        let pruner = try #require(Self.cases.first { $0.0 == name }?.1)
        let decided = try replay(pruner, recording.curves)
        #expect(decided == expected, "\(name): Optuna \(recording.optuna) differs")
        // The recordings are not trivial: some trials stop, some complete.
        #expect(expected.contains(nil) && expected.contains { $0 != nil })
    }

    /// With `maxResource`, a trial that reaches it completes where Optuna would judge it (and
    /// prune it after it has spent its whole budget); every earlier decision is Optuna's.
    @Test func maxResourceOnlySparesTheLastRung() throws {
        let recording = try #require(Self.recording)
        let name = "successiveHalving(minResource: 1, reductionFactor: 3)"
        let expected = try #require(recording.prunedAt[name])
        let decided = try replay(
            SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3, maxResource: 9),
            recording.curves)
        #expect(expected.contains(9))
        // Not the same trials as Optuna's after the first difference (the rung at 9 fills
        // differently), but up to the first trial Optuna pruned at 9 they agree.
        let firstAtNine = try #require(expected.firstIndex(of: 9))
        #expect(Array(decided.prefix(firstAtNine)) == Array(expected.prefix(firstAtNine)))
        #expect(decided[firstAtNine] == nil)
        #expect(!decided.contains(9))
    }
}
