import Data
import NN
import Tensor
import Testing

@testable import Compress

/// Iterative pruning with rewinding: the rounds reach the target geometrically, and a lottery
/// ticket run equals the same steps done by hand (train, prune, put the kept weights back to
/// their values at initialization or after epoch k, retrain).
@Suite struct IterativePruningTests {
    @Test func sparsityRisesGeometricallyToTheTarget() throws {
        let plan = try IterativePruning(target: 0.875, rounds: 3)
        #expect(plan.sparsity(afterRound: 0) == 0)
        #expect(Swift.abs(plan.sparsity(afterRound: 1) - 0.5) < 1e-12)
        #expect(Swift.abs(plan.sparsity(afterRound: 2) - 0.75) < 1e-12)
        #expect(Swift.abs(plan.sparsity(afterRound: 3) - 0.875) < 1e-12)
        #expect(throws: CompressError.self) { try IterativePruning(target: 1, rounds: 2) }
        #expect(throws: CompressError.self) { try IterativePruning(target: 0.5, rounds: 0) }
    }

    @Test(arguments: [RewindPoint.initialization, .epoch(1)])
    func aLotteryTicketRunEqualsTheStepsByHand(rewind: RewindPoint) throws {
        let plan = try IterativePruning(target: 0.8, rounds: 2, rewind: rewind)
        let model = try CompressFixtures.mlp(hidden: 24)
        let initial = model.stateDict()
        let rounds = try plan.run(
            model, on: CompressFixtures.blobs(), epochs: 3, batchSize: 16,
            optimizer: SGD(learningRate: 0.05, momentum: 0.9), seed: 7)
        #expect(rounds.map(\.round) == [0, 1, 2])
        #expect(Swift.abs(rounds[2].sparsity - 0.8) < 0.01)
        #expect(rounds.allSatisfy { $0.metrics["loss"] != nil })

        // By hand, with the first training split into single epochs (same shuffles: the run's
        // dense round uses seed 7, so replay it as one fit of three epochs).
        let manual = try CompressFixtures.mlp(hidden: 24)
        try manual.load(stateDict: initial)
        let optimizer = try SGD(learningRate: 0.05, momentum: 0.9)
        let data = try CompressFixtures.blobs()
        let rewindEpoch = rewind == .initialization ? 0 : 1
        var kept = rewindEpoch == 0 ? manual.stateDict() : [:]
        final class Keep: Callback {
            let epoch: Int
            var state: [String: Tensor]?
            init(_ epoch: Int) { self.epoch = epoch }
            func onEpochEnd(_ context: TrainingContext) throws {
                if context.epoch + 1 == epoch { state = context.model.stateDict() }
            }
        }
        let keep = Keep(rewindEpoch)
        _ = try manual.fit(
            data, epochs: 3, batchSize: 16, optimizer: optimizer, callbacks: [keep],
            generator: RandomGenerator(seed: 7))
        if let state = keep.state { kept = state }
        for round in 1...2 {
            try prune(manual, sparsity: plan.sparsity(afterRound: round), scope: .global)
            try manual.load(stateDict: kept)
            optimizer.resetState()
            _ = try manual.fit(
                data, epochs: 3 - rewindEpoch, batchSize: 16, optimizer: optimizer,
                generator: RandomGenerator(seed: 7 &+ UInt64(round)))
        }
        for ((name, a), (_, b)) in zip(model.namedParameters(), manual.namedParameters()) {
            #expect(a.value.scalars == b.value.scalars, "\(name) differs")
            #expect(a.mask?.scalars == b.mask?.scalars, "\(name)'s mask differs")
        }
    }

    @Test func rewindingPastTheTrainingIsAnError() throws {
        let plan = try IterativePruning(target: 0.5, rounds: 1, rewind: .epoch(3))
        #expect(throws: CompressError.self) {
            try plan.run(
                CompressFixtures.mlp(), on: CompressFixtures.blobs(), epochs: 3,
                optimizer: SGD(learningRate: 0.1))
        }
    }
}
