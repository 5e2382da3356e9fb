import Tensor

/// How a loss combines its per-sample (or per-element) values, as PyTorch's `reduction`.
public enum Reduction: String, Sendable, Hashable, CaseIterable {
    /// The mean (the default): the loss of an average sample.
    case mean
    /// The sum.
    case sum
    /// No reduction: one value per sample (per element for elementwise losses).
    case none

    /// Reduces `values` by this reduction; `.mean` divides the sum by `count` when given
    /// (weighted means), by the element count otherwise.
    func apply(_ values: Tensor, count: Float? = nil) throws -> Tensor {
        switch self {
        case .none: return values
        case .sum: return try values.sum()
        case .mean:
            guard let count else { return try values.mean() }
            return try values.sum() / count
        }
    }
}
