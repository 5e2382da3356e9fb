import Tensor

/// The mean of (prediction − target)², like `nn.MSELoss`.
///
/// ```swift
/// let loss = try meanSquaredError(model(x), y)
/// ```
///
/// - Parameters:
///   - prediction: Any shape.
///   - target: The same shape, float32.
///   - reduction: Mean over elements (default), sum, or none (elementwise).
public func meanSquaredError(_ prediction: Tensor, _ target: Tensor, reduction: Reduction = .mean)
    throws -> Tensor
{
    try checkSameShape("meanSquaredError", prediction, target)
    return try reduction.apply((prediction - target.detached).squared())
}

/// The mean of |prediction − target|, like `nn.L1Loss`.
public func meanAbsoluteError(
    _ prediction: Tensor, _ target: Tensor, reduction: Reduction = .mean
) throws -> Tensor {
    try checkSameShape("meanAbsoluteError", prediction, target)
    return try reduction.apply((prediction - target.detached).abs())
}

/// The Huber loss (Huber, 1964, "Robust Estimation of a Location Parameter"), like
/// `nn.HuberLoss`: ½d² where |d| ≤ δ and δ·(|d| − ½δ) beyond, for d = prediction − target —
/// quadratic near the target, linear (robust to outliers) far from it.
///
/// ```swift
/// let loss = try huberLoss(prediction, target, delta: 1)
/// ```
public func huberLoss(
    _ prediction: Tensor, _ target: Tensor, delta: Float = 1, reduction: Reduction = .mean
) throws -> Tensor {
    try checkSameShape("huberLoss", prediction, target)
    guard delta > 0 else {
        throw NNError.invalidArgument(function: "huberLoss", message: "delta must be positive")
    }
    let distance = try (prediction - target.detached).abs()
    let linear = try (distance - delta).relu()  // |d| − δ beyond δ, else 0
    let quadratic = try distance - linear  // min(|d|, δ)
    return try reduction.apply(0.5 * quadratic.squared() + delta * linear)
}
