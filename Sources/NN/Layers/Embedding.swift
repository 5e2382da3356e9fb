import Tensor

/// A lookup table of learned vectors, one per index, like `torch.nn.Embedding`: int32 indices
/// of any shape `[…]` give `[…, dimension]`; the weight `[count, dimension]` starts N(0, 1), as
/// in PyTorch.
///
/// ```swift
/// let embed = try Embedding(10_000, 64)
/// let vectors = try embed(tokenIDs)      // [N, T] → [N, T, 64]
/// ```
public final class Embedding: Layer {
    /// The table, `[count, dimension]`.
    public let weight: Parameter
    /// Unused: a lookup behaves the same in training and evaluation.
    public var isTraining = true

    /// The number of vectors.
    public var count: Int { weight.shape[0] }
    /// The length of each vector.
    public var dimension: Int { weight.shape[1] }

    /// A table of `count` vectors of length `dimension`.
    ///
    /// - Parameters:
    ///   - count: The number of indices.
    ///   - dimension: The vector length.
    ///   - initializer: How to fill the table (N(0, 1) by default).
    ///   - seed: Seeds the initialisation; without it, draws from the default generator.
    public init(
        _ count: Int, _ dimension: Int,
        initializer: Initializer = .normal(mean: 0, standardDeviation: 1), seed: UInt64? = nil
    ) throws {
        guard count > 0, dimension > 0 else {
            throw NNError.invalidArgument(
                function: "Embedding", message: "count and dimension must be positive")
        }
        var generator = initializationGenerator(seed: seed)
        weight = try Parameter(
            initializer.make(
                [count, dimension], fanIn: dimension, fanOut: count, using: &generator))
    }

    /// The vectors at `input`'s indices (int32, or integral float32, in `0..<count`).
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        if let lowest = input.scalars.min(), lowest < 0 {
            throw NNError.invalidInput(
                layer: "Embedding(\(count), \(dimension))",
                expected: "indices in 0..<\(count), not \(lowest)", actual: input.shape)
        }
        return try weight.value.gather(input, alongAxis: 0)
    }

    /// `weight`.
    public var ownParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }

    /// "10000 × 64".
    public var configurationSummary: String { "\(count) × \(dimension)" }

    /// Count and dimension.
    public func architecture() throws -> LayerArchitecture {
        LayerArchitecture(
            type: "Embedding", options: ["count": .int(count), "dimension": .int(dimension)])
    }
}
