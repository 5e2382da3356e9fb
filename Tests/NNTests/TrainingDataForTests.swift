import Data
import Testing

@testable import NN
@testable import Tensor

/// Small synthetic problems and recording helpers for the training-loop tests.
enum TrainingFixtures {
    /// Data's Gaussian blobs: `perClass` points around each of `classes` centres (unit spread,
    /// centres in [-10, 10]²), separable almost perfectly by a small network.
    static func blobs(perClass: Int = 60, classes: Int = 3, seed: UInt64 = 1) throws -> Dataset {
        var generator = RandomGenerator(seed: seed)
        return try Synthetic.blobs(
            centers: classes, pointsPerCenter: perClass, using: &generator)
    }

    /// Data's interleaved spirals (a problem no linear model solves), `perClass` points per arm.
    static func spirals(perClass: Int = 100, classes: Int = 2, seed: UInt64 = 2) throws
        -> Dataset
    {
        var generator = RandomGenerator(seed: seed)
        return try Synthetic.spirals(
            classes: classes, pointsPerClass: perClass, noise: 0.1, using: &generator)
    }

    /// A two-layer perceptron `inputs → hidden (relu) → classes`, seeded.
    static func mlp(inputs: Int = 2, hidden: Int = 16, classes: Int = 3, seed: UInt64 = 3) throws
        -> Sequential
    {
        try Sequential {
            try Dense(inputs, hidden, activation: .relu, seed: seed)
            try Dense(hidden, classes, seed: seed + 1)
        }
    }

    /// Every parameter value of `model`, by name.
    static func weights(of model: any Layer) -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for (name, parameter) in model.namedParameters() { result[name] = parameter.value.scalars }
        return result
    }
}

/// Keeps every event `fit` reports.
final class RecordingObserver: TrainingObserver {
    var events: [TrainingEvent] = []

    func observe(_ event: TrainingEvent) { events.append(event) }

    var batchEnds: [BatchProgress] {
        events.compactMap { if case .batchEnded(let progress) = $0 { progress } else { nil } }
    }

    var epochEnds: [EpochRecord] {
        events.compactMap { if case .epochEnded(let record) = $0 { record } else { nil } }
    }
}

/// Records which hooks ran, in order ("trainBegin", "epochBegin 0", "batchEnd 0.3", …).
final class RecordingCallback: Callback {
    var calls: [String] = []
    var outcomeAtEnd: TrainingOutcome?

    func onTrainBegin(_ context: TrainingContext) throws { calls.append("trainBegin") }
    func onEpochBegin(_ context: TrainingContext) throws {
        calls.append("epochBegin \(context.epoch)")
    }
    func onBatchBegin(_ context: TrainingContext) throws {
        calls.append("batchBegin \(context.epoch).\(context.batch)")
    }
    func onBatchEnd(_ context: TrainingContext) throws {
        calls.append("batchEnd \(context.epoch).\(context.batch)")
    }
    func onEpochEnd(_ context: TrainingContext) throws {
        calls.append("epochEnd \(context.epoch)")
    }
    func onTrainEnd(_ context: TrainingContext) throws {
        calls.append("trainEnd")
        outcomeAtEnd = context.outcome
    }
}

/// The error an interrupt check throws in the tests (the cell language throws its own).
struct TestInterrupt: Error, Equatable {}

/// An interrupt check that throws once it has been called `limit` times.
final class InterruptAfter {
    private(set) var calls = 0
    let limit: Int

    init(calls limit: Int) { self.limit = limit }

    func check() throws {
        calls += 1
        if calls > limit { throw TestInterrupt() }
    }
}
