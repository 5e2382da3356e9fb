import Tensor

/// A weight penalty added to the loss: L1 (λ·Σ|w|, which drives weights to exactly zero;
/// Tibshirani, 1996, "Regression Shrinkage and Selection via the Lasso"), L2 (λ·Σw², weight
/// decay; Krogh & Hertz, 1992, "A Simple Weight Decay Can Improve Generalization") or both, as
/// Keras' `regularizers.l1`, `l2` and `l1_l2` define them.
///
/// ```swift
/// let layer = try Dense(784, 128, regularizer: .l2(1e-4))
/// let loss = try softmaxCrossEntropy(model(x), y) + model.regularizationLoss()
/// ```
public enum Regularizer: Sendable, Hashable {
    /// λ·Σ|w|.
    case l1(Float)
    /// λ·Σw².
    case l2(Float)
    /// λ₁·Σ|w| + λ₂·Σw².
    case l1l2(l1: Float, l2: Float)

    /// The penalty for `weight` (differentiable).
    public func penalty(_ weight: Tensor) throws -> Tensor {
        switch self {
        case .l1(let strength): return try strength * weight.abs().sum()
        case .l2(let strength): return try strength * weight.squared().sum()
        case .l1l2(let l1, let l2):
            return try l1 * weight.abs().sum() + l2 * weight.squared().sum()
        }
    }

    /// "l2(0.0001)", as recorded in architectures.
    public var name: String {
        switch self {
        case .l1(let strength): return "l1(\(strength))"
        case .l2(let strength): return "l2(\(strength))"
        case .l1l2(let l1, let l2): return "l1l2(\(l1),\(l2))"
        }
    }

    /// The regularizer spelled `name` (see `name`), or nil.
    public init?(named name: String) {
        guard name.hasSuffix(")"), let open = name.firstIndex(of: "(") else { return nil }
        let arguments = name[name.index(after: open)..<name.index(before: name.endIndex)]
            .split(separator: ",").compactMap { Float($0) }
        switch (name[..<open], arguments.count) {
        case ("l1", 1): self = .l1(arguments[0])
        case ("l2", 1): self = .l2(arguments[0])
        case ("l1l2", 2): self = .l1l2(l1: arguments[0], l2: arguments[1])
        default: return nil
        }
    }
}

// MARK: - Penalties of whole models

/// The L2 penalty Σw² over every trainable parameter of `layer` and its descendants except
/// biases (the weights an L2 penalty is meant for), differentiable so it can be added to a loss.
///
/// ```swift
/// let (loss, grads) = try valueWithGradient(of: model) { m in
///     try softmaxCrossEntropy(m(x), y) + 1e-4 * l2(m)
/// }
/// ```
public func l2(_ layer: any Layer) throws -> Tensor {
    try penalty(of: layer) { try $0.squared().sum() }
}

/// The L1 penalty Σ|w| over every trainable parameter of `layer` and its descendants except
/// biases.
///
/// ```swift
/// let sparse = try l1(model[0])
/// ```
public func l1(_ layer: any Layer) throws -> Tensor {
    try penalty(of: layer) { try $0.abs().sum() }
}

/// λ₁·Σ|w| + λ₂·Σw² over every trainable parameter of `layer` except biases (elastic net).
public func l1l2(_ layer: any Layer, l1 l1Strength: Float, l2 l2Strength: Float) throws -> Tensor {
    try l1Strength * l1(layer) + l2Strength * l2(layer)
}

/// Σ `term(w)` over the trainable non-bias parameters of `layer`.
private func penalty(of layer: any Layer, _ term: (Tensor) throws -> Tensor) throws -> Tensor {
    var total = Tensor(0)
    for (name, parameter) in layer.namedParameters()
    where !parameter.isFrozen && name != "bias" && !name.hasSuffix(".bias") {
        total = try total + term(parameter.value)
    }
    return total
}

extension Layer {
    /// The sum of the penalties of the regularizers attached to this layer and its descendants
    /// (`Dense(…, regularizer: .l2(1e-4))`); 0 when there are none.
    ///
    /// ```swift
    /// let loss = try softmaxCrossEntropy(model(x), y) + model.regularizationLoss()
    /// ```
    public func regularizationLoss() throws -> Tensor {
        var total = Tensor(0)
        for (_, layer) in namedLayers() {
            if let penalty = try layer.ownRegularizationPenalty() { total = try total + penalty }
        }
        return total
    }
}
