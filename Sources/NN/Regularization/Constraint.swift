import Tensor

/// A constraint on a parameter's value, applied by the optimizer after every update.
///
/// ```swift
/// layer.weight.constraint = .maxNorm(3)
/// ```
public enum Constraint: Sendable, Hashable {
    /// Rescales each output unit's incoming weights (each slice `w[i, …]` of a `[out, in, …]`
    /// weight; the whole tensor for a 1-D one) so that its Euclidean norm is at most the value
    /// (Srivastava et al., 2014, "Dropout: A Simple Way to Prevent Neural Networks from
    /// Overfitting", section 5.1), like Keras' `MaxNorm` and PyTorch's `renorm`.
    case maxNorm(Float)

    /// Applies the constraint to `value` in place.
    public func apply(to value: inout Tensor) throws {
        switch self {
        case .maxNorm(let limit):
            guard limit >= 0 else {
                throw NNError.invalidArgument(
                    function: "maxNorm", message: "the limit must be >= 0, got \(limit)")
            }
            let rows = value.rank >= 2 ? value.shape[0] : 1
            let matrix = try value.reshaped([rows, -1])
            let norms = try withoutGradient { try matrix.squared().sum(alongAxes: [1]).sqrt() }
            let factors = norms.scalars.map { norm in norm > limit ? limit / (norm + 1e-7) : 1 }
            guard factors.contains(where: { $0 != 1 }) else { return }
            let scaled = try withoutGradient { try matrix * Tensor(factors, shape: [rows, 1]) }
            try value.assign(scaled.reshaped(value.shape))
        }
    }
}
