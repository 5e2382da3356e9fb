import Data
import Foundation
import Tensor

/// The curve of an LR range test: the loss after each step of an exponential learning-rate
/// sweep, smoothed, with suggested learning rates — data for a log-x plot.
///
/// The test (Smith, 2017, "Cyclical Learning Rates for Training Neural Networks", §3.3; the
/// exponential form of fastai's `lr_find`) trains one batch per step while the learning rate
/// grows from a minimum to a maximum; the loss falls once the rate is large enough to learn
/// and blows up once it is too large. Two suggestions are given:
/// - `steepest`: where the smoothed loss falls fastest against log(lr) (fastai's classic
///   suggestion, its slope taken across ±5 % of the sweep to rise above single-step noise);
/// - `minimumOverTen`: a tenth of the rate at the smoothed loss's minimum (the rule of thumb
///   from fastai's course: the minimum is already too large).
///
/// ```swift
/// let sweep = try model.findLearningRate(data.train, optimizer: opt)
/// sweep.suggestion                          // 3.2e-3
/// plot(x: sweep.learningRates, y: sweep.smoothedLosses, xScale: .log)
/// ```
public struct LearningRateSweep: Sendable, Equatable {
    /// The learning rate of each step.
    public let learningRates: [Float]
    /// The loss of each step's batch (before its update).
    public let losses: [Double]
    /// The losses smoothed by a bias-corrected exponential moving average.
    public let smoothedLosses: [Double]
    /// Whether the sweep stopped early because the loss diverged.
    public let diverged: Bool
    /// The rate where the smoothed loss decreases fastest against log(lr), if the curve is
    /// long enough to tell.
    public let steepest: Float?
    /// A tenth of the rate at the smoothed loss's minimum.
    public let minimumOverTen: Float?

    /// The suggested learning rate: `steepest`, else `minimumOverTen`.
    public var suggestion: Float? { steepest ?? minimumOverTen }
}

extension Layer {
    /// Runs an LR range test on `data` (see `LearningRateSweep`) and then puts the model and
    /// the optimizer back exactly as they were (weights, buffers, optimizer state and
    /// learning rate) — also when the sweep is interrupted or fails.
    ///
    /// ```swift
    /// let sweep = try model.findLearningRate(data.train, optimizer: try SGD(learningRate: 0.1))
    /// opt.learningRate = sweep.suggestion ?? 1e-3
    /// ```
    /// - Parameters:
    ///   - data: Training examples (cycled through, shuffled, if the sweep needs more).
    ///   - optimizer: The optimizer to sweep the rate of.
    ///   - loss: The loss to watch.
    ///   - batchSize: Examples per step.
    ///   - minimum: The first learning rate.
    ///   - maximum: The last learning rate.
    ///   - steps: The number of steps (rates), at least 2.
    ///   - smoothing: β of the moving average of the loss, in [0, 1).
    ///   - divergence: Stop once the smoothed loss exceeds this multiple of its minimum.
    ///   - generator: The source of the shuffles; nil draws from the default generator.
    ///   - checkInterrupt: Called between steps; throwing stops the sweep (then restores).
    public func findLearningRate(
        _ data: Dataset, optimizer: any Optimizer, loss: Loss = .softmaxCrossEntropy(),
        batchSize: Int = 64, minimum: Float = 1e-7, maximum: Float = 10, steps: Int = 100,
        smoothing: Double = 0.98, divergence: Double = 4, generator: RandomGenerator? = nil,
        checkInterrupt: (() throws -> Void)? = nil
    ) throws -> LearningRateSweep {
        func fail(_ message: String) -> NNError {
            NNError.invalidArgument(function: "findLearningRate", message: message)
        }
        guard minimum > 0, maximum > minimum, maximum.isFinite else {
            throw fail("need 0 < minimum < maximum, got \(minimum) and \(maximum)")
        }
        guard steps >= 2, steps <= 1_000_000 else {
            throw fail("steps must be in 2...1000000, got \(steps)")
        }
        guard smoothing >= 0, smoothing < 1 else { throw fail("smoothing must be in [0, 1)") }
        guard divergence > 1 else { throw fail("divergence must be above 1") }
        guard data.count > 0 else { throw fail("the data set \(data.name) is empty") }
        try requireBatchSize(batchSize, "findLearningRate")

        let savedModel = ModelSnapshot(of: self)
        let savedOptimizer = try optimizer.stateDict(for: self)
        let savedRate = optimizer.learningRate
        let savedFlags = namedLayers().map { ($0.layer, $0.layer.isTraining) }
        defer { for (layer, wasTraining) in savedFlags { layer.isTraining = wasTraining } }
        var sweep = SweepRecorder(smoothing: smoothing, divergence: divergence)
        do {
            train()
            try runSweep(
                data, optimizer: optimizer, loss: loss, batchSize: batchSize,
                rates: exponentialRates(from: minimum, to: maximum, steps: steps),
                generator: generator, checkInterrupt: checkInterrupt, into: &sweep)
        } catch {
            try? savedModel.restore()
            try? optimizer.load(stateDict: savedOptimizer, for: self)
            optimizer.learningRate = savedRate
            throw error
        }
        try savedModel.restore()
        try optimizer.load(stateDict: savedOptimizer, for: self)
        optimizer.learningRate = savedRate
        return sweep.result
    }

    private func runSweep(
        _ data: Dataset, optimizer: any Optimizer, loss: Loss, batchSize: Int, rates: [Float],
        generator: RandomGenerator?, checkInterrupt: (() throws -> Void)?,
        into sweep: inout SweepRecorder
    ) throws {
        var seedSource = generator ?? RandomGenerator.withDefault { $0.split() }
        let regularized = hasRegularization
        var batches = try data.batches(of: batchSize, shuffled: true, using: &seedSource)
            .makeIterator()
        for rate in rates {
            try checkInterrupt?()
            var next = try batches.next()
            if next == nil {
                batches = try data.batches(of: batchSize, shuffled: true, using: &seedSource)
                    .makeIterator()
                next = try batches.next()
            }
            guard let batch = next else { break }
            optimizer.learningRate = rate
            let step = try lossAndGradients(
                of: self, on: batch, loss: loss, regularized: regularized)
            guard sweep.record(rate: rate, loss: Double(step.loss)) else { break }
            try optimizer.update(self, along: step.gradients)
        }
    }
}

/// `steps` rates from `minimum` to `maximum`, evenly spaced in log scale.
private func exponentialRates(from minimum: Float, to maximum: Float, steps: Int) -> [Float] {
    let ratio = Double(maximum) / Double(minimum)
    return (0..<steps).map { step in
        Float(Double(minimum) * Foundation.pow(ratio, Double(step) / Double(steps - 1)))
    }
}

/// Accumulates the sweep: raw and smoothed losses, divergence, and the suggestions.
private struct SweepRecorder {
    let smoothing: Double
    let divergence: Double
    var rates: [Float] = []
    var losses: [Double] = []
    var smoothed: [Double] = []
    var average = 0.0
    var best = Double.infinity
    var diverged = false

    init(smoothing: Double, divergence: Double) {
        self.smoothing = smoothing
        self.divergence = divergence
    }

    /// Records one step; false once the loss has diverged (the step is kept, the sweep ends).
    mutating func record(rate: Float, loss: Double) -> Bool {
        rates.append(rate)
        losses.append(loss)
        average = smoothing * average + (1 - smoothing) * loss
        let value = average / (1 - Foundation.pow(smoothing, Double(smoothed.count + 1)))
        smoothed.append(value)
        if value < best { best = value }
        if !value.isFinite || value > divergence * best {
            diverged = true
            return false
        }
        return true
    }

    var result: LearningRateSweep {
        LearningRateSweep(
            learningRates: rates, losses: losses, smoothedLosses: smoothed, diverged: diverged,
            steepest: steepestRate, minimumOverTen: minimumRate.map { $0 / 10 })
    }

    /// The rate at the smoothed minimum (ignoring the diverged last point).
    private var minimumRate: Float? {
        let usable = diverged ? Array(smoothed.dropLast()) : smoothed
        guard
            let index = usable.indices.filter({ usable[$0].isFinite })
                .min(by: { usable[$0] < usable[$1] })
        else { return nil }
        return rates[index]
    }

    /// The rate of the most negative slope of the smoothed loss against log(lr), measured
    /// across a window of ±5 % of the sweep (so the noise of single steps does not win), up to
    /// the minimum (past it the curve only rises) and skipping the noisy first tenth.
    private var steepestRate: Float? {
        let usable = diverged ? Array(smoothed.dropLast()) : smoothed
        guard
            let minimumIndex = usable.indices.filter({ usable[$0].isFinite })
                .min(by: { usable[$0] < usable[$1] })
        else { return nil }
        let window = max(1, usable.count / 20)
        let start = max(window, usable.count / 10)
        guard minimumIndex - window >= start else { return nil }
        var bestIndex: Int?
        var bestSlope = 0.0
        for index in start...(minimumIndex - window) {
            let (low, high) = (index - window, index + window)
            let run = Foundation.log(Double(rates[high])) - Foundation.log(Double(rates[low]))
            let slope = (usable[high] - usable[low]) / run
            if slope < bestSlope {
                bestSlope = slope
                bestIndex = index
            }
        }
        return bestIndex.map { rates[$0] }
    }
}
