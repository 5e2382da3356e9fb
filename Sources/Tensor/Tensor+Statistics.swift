// Statistics composed from primitives (so their gradients come for free): variance, standard
// deviation, norms and log-sum-exp.

extension Tensor {
    /// The variance along `axes` (all when nil): the mean squared deviation from the mean,
    /// divided by n − `correction` (0 gives NumPy's default, 1 the unbiased estimate).
    public func variance(
        alongAxes axes: [Int]? = nil, keepDims: Bool = false, correction: Int = 0
    ) throws(TensorError) -> Tensor {
        let reduced = try normalizedAxes(axes, rank: rank, operation: "variance")
        let count = reduced.reduce(1) { $0 * shape[$1] }
        let deviations = try self - mean(alongAxes: axes, keepDims: true)
        let divisor = Float(count) - Float(correction)
        return try deviations.squared().sum(alongAxes: axes, keepDims: keepDims)
            * (divisor > 0 ? 1 / divisor : .nan)
    }

    /// The standard deviation along `axes`: the square root of `variance`.
    public func standardDeviation(
        alongAxes axes: [Int]? = nil, keepDims: Bool = false, correction: Int = 0
    ) throws(TensorError) -> Tensor {
        try variance(alongAxes: axes, keepDims: keepDims, correction: correction).sqrt()
    }

    /// The p-norm along `axes` (all when nil): (Σ |x|ᵖ)^(1/p); p = 2 by default, p = 1 the
    /// sum of absolute values, p = ∞ the largest absolute value.
    ///
    /// ```swift
    /// let globalNorm = try gradient.norm()
    /// ```
    public func norm(alongAxes axes: [Int]? = nil, keepDims: Bool = false, p: Float = 2)
        throws(TensorError) -> Tensor
    {
        switch p {
        case 1: return try abs().sum(alongAxes: axes, keepDims: keepDims)
        case 2: return try squared().sum(alongAxes: axes, keepDims: keepDims).sqrt()
        case .infinity: return try abs().max(alongAxes: axes, keepDims: keepDims)
        default:
            guard p > 0, p.isFinite else {
                throw .invalidArgument(operation: "norm", message: "p must be positive, got \(p)")
            }
            return try abs().pow(p).sum(alongAxes: axes, keepDims: keepDims).pow(1 / p)
        }
    }

    /// log Σ exp(x) along `axes`, computed stably by shifting by the maximum.
    public func logSumExp(alongAxes axes: [Int]? = nil, keepDims: Bool = false)
        throws(TensorError) -> Tensor
    {
        let shift = try max(alongAxes: axes, keepDims: true).detached
        let finiteShift = try Tensor.where(shift.abs() .< .infinity, shift, Tensor(0))
        let total =
            try (self - finiteShift).exp().sum(alongAxes: axes, keepDims: true).log()
            + finiteShift
        return keepDims ? total : try total.squeezed(alongAxes: axes ?? Array(0..<rank))
    }
}
