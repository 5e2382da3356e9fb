import Tensor

// Differentiating a loss with respect to a whole model, in the style of mlx-swift's
// `valueAndGrad(model:)` and swift-apis' `valueWithGradient(at:in:)`.

/// The value of `loss` for `model` together with its gradients with respect to every
/// trainable (not frozen) parameter of the model.
///
/// For the duration of `loss`, each trainable parameter's value is an autodiff leaf; the
/// gradients come back keyed by parameter and by dotted name, masked where the parameter has a
/// pruning mask, and each is also stored in its parameter's `gradient`. The loss must be a
/// single-element tensor.
///
/// ```swift
/// let (loss, grads) = try valueWithGradient(of: model) { m in
///     try softmaxCrossEntropy(m(x), y) + 1e-4 * l2(m)
/// }
/// try opt.update(model, along: grads)
/// ```
///
/// - Parameters:
///   - model: The model (or any layer) whose parameters to differentiate.
///   - observer: Told each gradient as soon as the backward pass has completed it (before the
///     mask), by its index among the model's trainable parameters (`Gradients.entries`' order).
///   - loss: Computes the loss from the model passed in.
/// - Returns: The loss (detached) and the gradients.
public func valueWithGradient<Model: Layer>(
    of model: Model, observer: (any BackwardObserver)? = nil, _ loss: (Model) throws -> Tensor
) throws -> (value: Tensor, gradients: Gradients) {
    let all = model.namedParameters()
    // A frozen parameter gets no gradient: drop one left from before it was frozen.
    for (_, parameter) in all where parameter.isFrozen { parameter.gradient = nil }
    let trainable = all.filter { !$0.parameter.isFrozen }
    let (value, leafGradients) = try valueWithGradient(
        at: trainable.map(\.parameter.value), observer: observer
    ) { leaves in
        for ((_, parameter), leaf) in zip(trainable, leaves) { parameter.value = leaf }
        defer { for (_, parameter) in trainable { parameter.value = parameter.value.detached } }
        let result = try loss(model)
        guard result.elementCount == 1 else {
            throw NNError.invalidArgument(
                function: "valueWithGradient(of:)",
                message: "the loss has shape \(result.shape); it must be a single number "
                    + "(reduce it with .mean() or .sum())")
        }
        return result
    }
    var entries: [Gradients.Entry] = []
    entries.reserveCapacity(trainable.count)
    for ((name, parameter), gradient) in zip(trainable, leafGradients) {
        let masked = try parameter.mask.map { try gradient * $0 } ?? gradient
        parameter.gradient = masked
        entries.append(Gradients.Entry(name: name, parameter: parameter, gradient: masked))
    }
    return (value, Gradients(entries))
}

/// The gradients of `loss` with respect to every trainable parameter of `model` (see
/// `valueWithGradient(of:_:)`).
///
/// ```swift
/// let grads = try gradient(of: model) { m in try meanSquaredError(m(x), y) }
/// ```
public func gradient<Model: Layer>(of model: Model, _ loss: (Model) throws -> Tensor) throws
    -> Gradients
{
    try valueWithGradient(of: model, loss).gradients
}
