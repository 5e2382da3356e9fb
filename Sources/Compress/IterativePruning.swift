import Data
import Foundation
import NN
import Tensor

/// Where iterative pruning puts the kept weights back to after each pruning round.
///
/// ```swift
/// IterativePruning(target: 0.9, rounds: 3, rewind: .epoch(1))
/// ```
public enum RewindPoint: Sendable, Equatable, CustomStringConvertible {
    /// No rewinding: the pruned model goes on training from its trained weights (iterative
    /// magnitude pruning with fine-tuning, Han et al., 2015).
    case none
    /// Back to the initial weights: the lottery ticket (Frankle & Carbin, 2019, "The Lottery
    /// Ticket Hypothesis: Finding Sparse, Trainable Neural Networks").
    case initialization
    /// Back to the weights after this many epochs of the first training: rewinding (Frankle
    /// et al., 2020, "Linear Mode Connectivity and the Lottery Ticket Hypothesis"), which
    /// finds tickets in larger networks where rewinding to initialization fails.
    case epoch(Int)

    /// "none", "initialization" or "epoch(1)", as written after a dot in code.
    public var description: String {
        switch self {
        case .none: return "none"
        case .initialization: return "initialization"
        case .epoch(let epoch): return "epoch(\(epoch))"
        }
    }

    /// The epoch rewound to (0 for initialization), nil without rewinding.
    var epoch: Int? {
        switch self {
        case .none: return nil
        case .initialization: return 0
        case .epoch(let epoch): return epoch
        }
    }
}

/// One round of iterative pruning: the sparsity trained at and the last epoch's metrics.
public struct PruningRound: Sendable {
    /// The round, 0 for the dense training before any pruning.
    public let round: Int
    /// The model's sparsity during the round's training.
    public let sparsity: Double
    /// The metrics of the round's last epoch (`loss`, `accuracy`, `val_loss`, …).
    public let metrics: [String: Double]
}

/// Iterative magnitude pruning: train, prune a share of the remaining weights, rewind the kept
/// weights (optionally), train again, for a number of rounds, so that the sparsity rises
/// geometrically to `target` — after round r it is 1 − (1 − target)^(r / rounds), each round
/// pruning the same share of what is left (Frankle & Carbin, 2019).
///
/// With `rewind: .initialization` the kept weights go back to their initial values after each
/// pruning (the lottery ticket); with `.epoch(k)` to their values after k epochs of the first
/// training, and later rounds train `epochs − k` epochs, the rest of the schedule (Frankle et
/// al., 2020); with `.none` they keep training from where they are. Buffers (BatchNorm
/// statistics) are rewound with the weights, and the optimizer's state is reset when rewinding.
///
/// ```swift
/// let lottery = try IterativePruning(target: 0.9, rounds: 3, rewind: .epoch(1))
/// let rounds = try lottery.run(model, on: data.train, epochs: 5, optimizer: Adam())
/// rounds.last?.metrics["accuracy"]
/// ```
public struct IterativePruning: Sendable {
    /// The final sparsity.
    public let target: Double
    /// The number of pruning rounds (each followed by training).
    public let rounds: Int
    /// Per-layer or global magnitude ranking (global by default, as Frankle & Carbin for
    /// convolutional networks).
    public let scope: PruningScope
    /// Where the kept weights go back to after each pruning.
    public let rewind: RewindPoint

    /// An iterative pruning plan.
    ///
    /// - Parameters:
    ///   - target: The final sparsity, in 0..<1.
    ///   - rounds: Pruning rounds, ≥ 1.
    ///   - scope: `.global` (default) or `.layer`.
    ///   - rewind: `.none`, `.initialization` or `.epoch(k)`.
    public init(
        target: Double, rounds: Int, scope: PruningScope = .global, rewind: RewindPoint = .none
    ) throws {
        guard target.isFinite, target >= 0, target < 1 else {
            throw CompressError.invalidArgument(
                function: "IterativePruning", message: "target must be in 0..<1, got \(target)")
        }
        guard rounds >= 1 else {
            throw CompressError.invalidArgument(
                function: "IterativePruning", message: "rounds must be at least 1, got \(rounds)")
        }
        if case .epoch(let epoch) = rewind, epoch < 0 {
            throw CompressError.invalidArgument(
                function: "IterativePruning",
                message: "the rewind epoch must be ≥ 0, got \(epoch)")
        }
        self.target = target
        self.rounds = rounds
        self.scope = scope
        self.rewind = rewind
    }

    /// The sparsity after pruning round `round` (0 before the first).
    public func sparsity(afterRound round: Int) -> Double {
        let progress = Double(min(max(round, 0), rounds)) / Double(rounds)
        return 1 - Foundation.pow(1 - target, progress)
    }

    /// Trains `model` densely, then prunes, rewinds and retrains it `rounds` times; the model
    /// ends pruned to `target` and trained.
    ///
    /// - Parameters:
    ///   - model: The model, trained in place (usually freshly initialised).
    ///   - data: The training set.
    ///   - epochs: Epochs of the first training; later rounds train as many (or `epochs − k`
    ///     when rewinding to epoch k).
    ///   - batchSize: The batch size.
    ///   - optimizer: The optimizer (its state is reset when rewinding).
    ///   - loss: The loss.
    ///   - validation: An optional validation set for each round's metrics.
    ///   - seed: Seeds each round's shuffling (round r uses `seed + r`).
    /// - Returns: One record per round, the dense training first.
    public func run(
        _ model: any Layer, on data: Dataset, epochs: Int, batchSize: Int = 32,
        optimizer: any Optimizer, loss: Loss = .softmaxCrossEntropy(),
        validation: Dataset? = nil, seed: UInt64 = 0
    ) throws -> [PruningRound] {
        let rewindEpoch = rewind.epoch
        if let rewindEpoch, rewindEpoch >= epochs {
            throw CompressError.invalidArgument(
                function: "IterativePruning.run",
                message: "rewinding to epoch \(rewindEpoch) needs more than \(rewindEpoch) "
                    + "epochs of training, got \(epochs)")
        }
        let snapshot = RewindSnapshot(epoch: rewindEpoch ?? -1)
        if rewindEpoch == 0 { snapshot.state = model.stateDict() }
        func train(round: Int, epochs: Int, callbacks: [any Callback]) throws -> PruningRound {
            let history = try model.fit(
                data, epochs: epochs, batchSize: batchSize, optimizer: optimizer, loss: loss,
                validation: validation, callbacks: callbacks,
                generator: RandomGenerator(seed: seed &+ UInt64(round)))
            return PruningRound(
                round: round, sparsity: Double(model.sparsity),
                metrics: history.epochs.last?.metrics ?? [:])
        }
        var records = [try train(round: 0, epochs: epochs, callbacks: [snapshot])]
        for round in 1...rounds {
            try prune(model, sparsity: sparsity(afterRound: round), scope: scope)
            if let state = snapshot.state {
                try model.load(stateDict: state)
                optimizer.resetState()
            }
            records.append(
                try train(round: round, epochs: epochs - (rewindEpoch ?? 0), callbacks: []))
        }
        return records
    }
}

/// Keeps the model's state dict after a given epoch of training.
private final class RewindSnapshot: Callback {
    /// The epoch (from 1) after which to keep the state; 0 or less keeps nothing.
    let epoch: Int
    /// The state kept.
    var state: [String: Tensor]?

    init(epoch: Int) {
        self.epoch = epoch
    }

    func onEpochEnd(_ context: TrainingContext) throws {
        if epoch > 0, context.epoch + 1 == epoch { state = context.model.stateDict() }
    }
}
