import Tensor

/// Layer normalization (Ba, Kiros & Hinton, 2016, "Layer Normalization"): each sample is
/// normalized over its last axes (`normalizedShape`) by its own mean and biased variance, then
/// scaled by γ and shifted by β of that shape — the same in training and evaluation, like
/// `torch.nn.LayerNorm`.
///
/// ```swift
/// let norm = try LayerNorm([128])      // over the last axis of [N, 128]
/// ```
public final class LayerNorm: Layer {
    /// The trailing shape normalized over.
    public let normalizedShape: [Int]
    /// γ, of `normalizedShape` (nil without affine parameters).
    public let weight: Parameter?
    /// β, of `normalizedShape` (nil without affine parameters).
    public let bias: Parameter?
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// Unused: layer normalization behaves the same in training and evaluation.
    public var isTraining = true

    /// Layer normalization over the trailing `normalizedShape`.
    ///
    /// - Parameters:
    ///   - normalizedShape: The last axes of the input to normalize over.
    ///   - epsilon: Added to the variance (1e-5).
    ///   - elementwiseAffine: Whether to learn γ (initialised to 1) and β (to 0).
    public init(_ normalizedShape: [Int], epsilon: Float = 1e-5, elementwiseAffine: Bool = true)
        throws
    {
        guard !normalizedShape.isEmpty, normalizedShape.allSatisfy({ $0 > 0 }) else {
            throw NNError.invalidArgument(
                function: "LayerNorm",
                message: "normalizedShape must be non-empty and positive, got \(normalizedShape)")
        }
        guard epsilon > 0 else {
            throw NNError.invalidArgument(function: "LayerNorm", message: "epsilon must be > 0")
        }
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        weight = elementwiseAffine ? try Parameter(Tensor.ones(normalizedShape)) : nil
        bias = elementwiseAffine ? try Parameter(Tensor.zeros(normalizedShape)) : nil
    }

    /// The input normalized over its trailing `normalizedShape` axes.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let trailing = normalizedShape.count
        guard input.rank >= trailing, Array(input.shape.suffix(trailing)) == normalizedShape
        else {
            throw NNError.invalidInput(
                layer: "LayerNorm(\(normalizedShape))",
                expected: "an input ending in \(normalizedShape)", actual: input.shape)
        }
        let axes = Array((input.rank - trailing)..<input.rank)
        let centered = try input - input.mean(alongAxes: axes, keepDims: true)
        let variance = try centered.squared().mean(alongAxes: axes, keepDims: true)
        let normalized = try centered / (variance + epsilon).sqrt()
        guard let weight, let bias else { return normalized }
        return try normalized * weight.value + bias.value
    }

    /// `weight` and `bias` when affine.
    public var ownParameters: [(name: String, parameter: Parameter)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    /// "[128]".
    public var configurationSummary: String { "\(normalizedShape)" }

    /// The normalized shape, epsilon and affine flag.
    public func architecture() throws -> LayerArchitecture {
        LayerArchitecture(
            type: "LayerNorm",
            options: [
                "normalizedShape": .ints(normalizedShape), "epsilon": .float(epsilon),
                "elementwiseAffine": .bool(weight != nil),
            ])
    }
}
