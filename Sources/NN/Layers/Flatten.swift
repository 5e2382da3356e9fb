import Tensor

/// Flattens every axis from `startAxis` on into one, like `torch.nn.Flatten` (start_dim=1):
/// `[N, 1, 28, 28] → [N, 784]`.
///
/// ```swift
/// let model = try Sequential { Flatten(); try Dense(784, 10) }
/// ```
public final class Flatten: Layer {
    /// The first axis folded into the result's last axis.
    public let startAxis: Int
    /// Unused: flattening behaves the same in training and evaluation.
    public var isTraining = true

    /// A flattening layer keeping the axes before `startAxis` (the batch axis by default).
    public init(startAxis: Int = 1) {
        self.startAxis = startAxis
    }

    /// The input with axes `startAxis…` merged.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard input.rank > startAxis, startAxis >= 0 || input.rank >= -startAxis else {
            throw NNError.invalidInput(
                layer: "Flatten(startAxis: \(startAxis))",
                expected: "an input with more than \(startAxis) axes", actual: input.shape)
        }
        return try input.flattened(from: startAxis)
    }

    /// The start axis when it is not 1.
    public var configurationSummary: String { startAxis == 1 ? "" : "from axis \(startAxis)" }

    /// The start axis.
    public func architecture() throws -> LayerArchitecture {
        LayerArchitecture(type: "Flatten", options: ["startAxis": .int(startAxis)])
    }
}
