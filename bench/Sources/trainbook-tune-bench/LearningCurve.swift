import Foundation
import Tune

/// A synthetic training run for the pruning benchmark: the validation accuracy after each
/// epoch of a model whose final accuracy and speed of learning depend on three
/// hyperparameters, the same formula as bench/peers/optuna_tune.py's. Deterministic, so both
/// libraries see the same curves for the same parameters and only their search differs.
///
/// Final accuracy peaks at learning rate 10^−2.5, 128 units and dropout 0.2 (0.92); learning is
/// fastest at high rates. Accuracy after epoch e is `final − (final − 0.1)·exp(−e·speed)`.
struct LearningCurve {
    let learningRate: Double
    let units: Int
    let dropout: Double

    /// Asks the trial for the three hyperparameters.
    init(_ trial: Trial) throws {
        learningRate = try trial.logUniform("learningRate", 1e-4...1e-1)
        units = try trial.choice("units", [32, 64, 128, 256])
        dropout = try trial.uniform("dropout", 0...0.5)
    }

    /// The best accuracy any parameters reach.
    static let bestFinal = 0.92

    /// The accuracy after all epochs.
    var final: Double {
        let rate = log10(learningRate) + 2.5
        let width = log2(Double(units) / 128)
        let drop = dropout - 0.2
        return Self.bestFinal - 0.05 * rate * rate - 0.01 * width * width - 0.3 * drop * drop
    }

    /// How fast the accuracy approaches its final value, per epoch.
    var speed: Double { 0.15 * pow(learningRate / 1e-3, 0.5) }

    /// The accuracy after `epoch` epochs (from 1).
    func accuracy(afterEpoch epoch: Int) -> Double {
        final - (final - 0.1) * exp(-Double(epoch) * speed)
    }
}
