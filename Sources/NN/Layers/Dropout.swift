import Tensor

/// Zeroes each input element with probability `probability` in training mode and scales the
/// rest by 1/(1 − p), so evaluation (where the layer passes its input through) needs no
/// rescaling — inverted dropout (Srivastava et al., 2014, "Dropout: A Simple Way to Prevent
/// Neural Networks from Overfitting"), like `torch.nn.Dropout`.
///
/// The layer owns a seeded generator, so a model built after `seed(42)` (or with `seed:`) drops
/// the same elements on every run.
///
/// ```swift
/// let model = try Sequential { try Dense(784, 512, activation: .relu); try Dropout(0.5); try Dense(512, 10) }
/// ```
public final class Dropout: Layer {
    /// The probability of zeroing an element.
    public let probability: Float
    /// Whether dropout is applied (training) or the input passes through (evaluation).
    public var isTraining = true
    private var generator: RandomGenerator

    /// A dropout layer.
    ///
    /// - Parameters:
    ///   - probability: p in [0, 1) (PyTorch's default 0.5).
    ///   - seed: Seeds the layer's generator; without it, one is split from the default.
    public init(_ probability: Float = 0.5, seed: UInt64? = nil) throws {
        guard probability >= 0, probability < 1 else {
            throw NNError.invalidArgument(
                function: "Dropout", message: "probability must be in [0, 1), got \(probability)")
        }
        self.probability = probability
        self.generator = initializationGenerator(seed: seed)
    }

    /// The input with elements dropped and the rest scaled (training), or unchanged.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard isTraining, probability > 0 else { return input }
        let keep = 1 - probability
        let mask = try Tensor.bernoulli(input.shape, probability: keep, using: &generator)
        return try input * (mask / keep)
    }

    /// "p = 0.5".
    public var configurationSummary: String { "p = \(probability)" }

    /// The probability.
    public func architecture() throws -> LayerArchitecture {
        LayerArchitecture(type: "Dropout", options: ["probability": .float(probability)])
    }
}
