import NN
import Tensor

/// A new, smaller copy of `model` without the weakest `fraction` of the hidden units of each
/// Dense layer and the output channels of each Conv2D that feed another Dense or Conv2D:
/// structured pruning (Li et al., 2017, "Pruning Filters for Efficient ConvNets").
///
/// A unit (channel) is removed with its row of the weight (its filter) and its bias entry, its
/// entries of a BatchNorm on the way, and the matching inputs of the next layer: a column of a
/// Dense, an input channel of a Conv2D, or — through Flatten or GlobalAvgPool — the block of a
/// Dense's inputs that the channel's positions become. Between the two only these may stand:
/// BatchNorm, activation layers other than softmax, Dropout, and for convolutions MaxPool2D,
/// AvgPool2D, GlobalAvgPool and Flatten. Any other layer (or none: the output layer) keeps its
/// units.
///
/// The result computes what `model` would with the removed units masked: the rows and biases,
/// and the BatchNorm's γ and β, of each removed unit set to zero. Where a removed Dense unit
/// would still output a constant (a sigmoid gives 0.5 for 0), that constant times its outgoing
/// weights is folded into the next bias; a Conv2D channel must output 0 (relu, tanh). Masks of
/// kept entries are carried over; `model` is left unchanged.
///
/// ```swift
/// let smaller = try pruneUnits(model, fraction: 0.5, by: .l1)
/// smaller.parameterCount               // about half of model.parameterCount
/// ```
///
/// - Parameters:
///   - model: The trained model.
///   - fraction: The share of each prunable layer's units to remove, in 0..<1 (rounded down;
///     at least one unit is kept).
///   - score: How units are ranked (`.l1` by default); ties go to the earlier unit.
public func pruneUnits(_ model: Sequential, fraction: Double, by score: UnitScore = .l1) throws
    -> Sequential
{
    guard fraction.isFinite, fraction >= 0, fraction < 1 else {
        throw CompressError.invalidArgument(
            function: "pruneUnits", message: "fraction must be in 0..<1, got \(fraction)")
    }
    let layers = model.layers
    var plans: [Int: UnitPlan] = [:]
    var consumers: [Int: Int] = [:]
    var norms: [Int: Int] = [:]
    for index in layers.indices {
        guard let path = unitPath(from: index, in: layers) else { continue }
        let kept = strongestUnits(of: layers[index], keeping: 1 - fraction, by: score)
        plans[index] = UnitPlan(kept: kept, path: path)
        consumers[path.consumer] = index
        for norm in path.norms { norms[norm] = index }
    }
    var result: [any Layer] = []
    for (index, layer) in layers.enumerated() {
        let rows = plans[index]?.kept
        let producer = consumers[index]
        let inputs = try producer.map { try consumedInputs(of: layer, from: $0, plans, layers) }
        if let dense = layer as? Dense {
            let bias = try producer.map { try foldedBias(of: dense, from: $0, plans, layers) }
            result.append(
                try slice(dense, rows: rows, inputs: inputs, bias: bias ?? dense.bias?.value))
        } else if let conv = layer as? Conv2D {
            if let producer { try requireZeroOutput(of: producer, plans, layers) }
            result.append(try slice(conv, rows: rows, inputs: inputs))
        } else if let norm = layer as? BatchNorm, let producer = norms[index],
            let kept = plans[producer]?.kept
        {
            result.append(try slice(norm, keeping: kept))
        } else {
            result.append(try layer.copiedModel())
        }
    }
    let smaller = Sequential(result)
    smaller.isTraining = model.isTraining
    return smaller
}

/// Which units of one producer stay, and the layers its units pass through.
private struct UnitPlan {
    /// The kept units, ascending.
    let kept: [Int]
    /// The way from the producer to its consumer.
    let path: UnitPath
}

/// The layers between a producer (Dense or Conv2D) and the layer that consumes its units.
private struct UnitPath {
    /// The consumer's index (a Dense or Conv2D).
    let consumer: Int
    /// The indices of BatchNorm layers on the way.
    let norms: [Int]
    /// The activation layers on the way, applied in order to find a removed unit's output.
    let activations: [ActivationLayer]
}

/// The way from `layers[index]` (a Dense or Conv2D whose units can go) to the Dense or Conv2D
/// that consumes its units through channel-wise layers only, if there is one.
private func unitPath(from index: Int, in layers: [any Layer]) -> UnitPath? {
    let producer = layers[index]
    let units: Int
    let isConvolution: Bool
    if let dense = producer as? Dense, dense.activation != .softmax {
        (units, isConvolution) = (dense.outputSize, false)
    } else if let conv = producer as? Conv2D, conv.activation != .softmax {
        (units, isConvolution) = (conv.outputChannels, true)
    } else {
        return nil
    }
    var norms: [Int] = []
    var activations: [ActivationLayer] = []
    var spatial = isConvolution  // the units still have positions (a Conv2D can consume them)
    for next in (index + 1)..<layers.count {
        let layer = layers[next]
        if let dense = layer as? Dense {
            // A Dense takes a Dense's units one to one, a Conv2D's after Flatten (a block of
            // positions per channel) or GlobalAvgPool (one each).
            let fits =
                isConvolution
                ? !spatial && dense.inputSize % units == 0 : dense.inputSize == units
            guard fits else { return nil }
            return UnitPath(consumer: next, norms: norms, activations: activations)
        }
        if let conv = layer as? Conv2D {
            guard spatial, conv.inputChannels == units else { return nil }
            return UnitPath(consumer: next, norms: norms, activations: activations)
        }
        if let norm = layer as? BatchNorm, norm.featureCount == units {
            norms.append(next)
        } else if let activation = layer as? ActivationLayer, activation.activation != .softmax {
            activations.append(activation)
        } else if layer is Dropout {
            continue
        } else if spatial, layer is MaxPool2D || layer is AvgPool2D {
            continue
        } else if spatial, layer is GlobalAvgPool {
            spatial = false
        } else if let flatten = layer as? Flatten, flatten.startAxis == 1 {
            spatial = false
        } else {
            return nil
        }
    }
    return nil
}

/// The weight of a Dense or Conv2D as rows, one per unit: `[units, inputs·kh·kw]`.
private func unitRows(of layer: any Layer) -> (weights: [Float], units: Int, length: Int) {
    let weight = (layer as? Dense)?.weight ?? (layer as? Conv2D)?.weight
    guard let weight, let units = weight.shape.first, units > 0 else { return ([], 0, 0) }
    return (weight.value.scalars, units, weight.elementCount / units)
}

/// The units of `layer` with the highest scores, `share` of them (at least one), in order.
private func strongestUnits(of layer: any Layer, keeping share: Double, by score: UnitScore)
    -> [Int]
{
    let (weights, units, length) = unitRows(of: layer)
    let removed = Int((Double(units) * (1 - share)).rounded(.down))
    let count = max(units - removed, 1)
    let scores = (0..<units).map { unit in
        let value = score.score(weights[(unit * length)..<((unit + 1) * length)])
        return value.isNaN ? Float.infinity : value
    }
    let ranked = scores.indices.sorted {
        scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1)
    }
    return ranked.prefix(count).sorted()
}

/// The inputs of `consumer` that the producer's kept units feed: the same indices for a
/// Conv2D or a Dense right after a Dense, each unit's block of positions after a Flatten.
private func consumedInputs(
    of consumer: any Layer, from producer: Int, _ plans: [Int: UnitPlan], _ layers: [any Layer]
) throws -> [Int] {
    let kept = plans[producer]?.kept ?? []
    guard let dense = consumer as? Dense else { return kept }
    let units = unitRows(of: layers[producer]).units
    let block = units > 0 ? dense.inputSize / units : 1
    return kept.flatMap { unit in (unit * block)..<((unit + 1) * block) }
}

/// What a removed unit of the producer outputs by the time it reaches the consumer: its
/// activation and those on the way applied to 0 (a BatchNorm gives 0, its γ and β masked).
private func removedOutput(of producer: Int, _ plans: [Int: UnitPlan], _ layers: [any Layer])
    throws -> [Float]
{
    let units = unitRows(of: layers[producer]).units
    let activation =
        (layers[producer] as? Dense)?.activation
        ?? (layers[producer] as? Conv2D)?.activation ?? .identity
    var constant = try activation(Tensor.zeros([1, units]))
    for layer in plans[producer]?.path.activations ?? [] { constant = try layer(constant) }
    return constant.scalars
}

/// Throws unless every removed channel of a Conv2D producer outputs exactly 0.
private func requireZeroOutput(
    of producer: Int, _ plans: [Int: UnitPlan], _ layers: [any Layer]
) throws {
    guard layers[producer] is Conv2D else { return }
    let outputs = try removedOutput(of: producer, plans, layers)
    if let nonZero = outputs.first(where: { $0 != 0 }) {
        throw CompressError.unsupported(
            function: "pruneUnits",
            message: "a removed channel would output \(nonZero) rather than 0; prune channels "
                + "followed by an activation with f(0) = 0 (relu, tanh)")
    }
}

/// The bias of `dense` (the consumer) with the constant outputs of the producer's removed units
/// folded in: b + W[:, removed] · c.
private func foldedBias(
    of dense: Dense, from producer: Int, _ plans: [Int: UnitPlan], _ layers: [any Layer]
) throws -> Tensor? {
    try requireZeroOutput(of: producer, plans, layers)
    let outputs = try removedOutput(of: producer, plans, layers)
    let kept = Set(plans[producer]?.kept ?? [])
    let removed = outputs.indices.filter { !kept.contains($0) && outputs[$0] != 0 }
    guard !removed.isEmpty else { return dense.bias?.value }
    guard var bias = dense.bias?.value.scalars else {
        throw CompressError.unsupported(
            function: "pruneUnits",
            message: "a removed unit outputs \(outputs[removed[0]]) rather than 0 and the next "
                + "Dense has no bias to absorb it; use an activation with f(0) = 0 (relu, tanh) "
                + "or give the next layer a bias")
    }
    let (weights, inputs) = (dense.weight.value.scalars, dense.inputSize)
    for row in bias.indices {
        for unit in removed { bias[row] += weights[row * inputs + unit] * outputs[unit] }
    }
    return try Tensor(bias, shape: [bias.count])
}

/// The entries of `tensor` (shape `[out, in, rest…]`) at the given rows and inputs, as the
/// shape `[rows, inputs, rest…]`.
private func pick(_ tensor: Tensor, rows: [Int], inputs: [Int]) throws -> Tensor {
    let shape = tensor.shape
    let inner = shape.dropFirst(2).reduce(1, *)
    let rowLength = shape[1] * inner
    let scalars = tensor.scalars
    var result: [Float] = []
    result.reserveCapacity(rows.count * inputs.count * inner)
    for row in rows {
        for input in inputs {
            let start = row * rowLength + input * inner
            result += scalars[start..<(start + inner)]
        }
    }
    return try Tensor(result, shape: [rows.count, inputs.count] + shape.dropFirst(2))
}

/// The entries of a vector at `indices`.
private func pick(_ vector: Tensor, _ indices: [Int]) throws -> Tensor {
    let scalars = vector.scalars
    return try Tensor(indices.map { scalars[$0] }, shape: [indices.count])
}

/// Copies a sliced weight (and its mask) and bias into `target`'s parameters, with the
/// original's frozen flags and groups.
private func transfer(
    weight: Parameter, rows: [Int], inputs: [Int], bias: (Parameter, Tensor)?,
    into target: (weight: Parameter, bias: Parameter?)
) throws {
    try target.weight.assign(pick(weight.value, rows: rows, inputs: inputs))
    if let mask = weight.mask {
        try target.weight.setMask(pick(mask, rows: rows, inputs: inputs))
    }
    target.weight.isFrozen = weight.isFrozen
    target.weight.group = weight.group
    if let newBias = target.bias, let (old, values) = bias {
        try newBias.assign(pick(values, rows))
        if let mask = old.mask { try newBias.setMask(pick(mask, rows)) }
        newBias.isFrozen = old.isFrozen
        newBias.group = old.group
    }
}

/// A Dense with only the given rows (output units) and inputs of `dense`, the given bias
/// values (indexed as the original's rows), and the matching mask entries.
private func slice(_ dense: Dense, rows: [Int]?, inputs: [Int]?, bias: Tensor?) throws -> Dense {
    let rows = rows ?? Array(0..<dense.outputSize)
    let inputs = inputs ?? Array(0..<dense.inputSize)
    let result = try Dense(
        inputs.count, rows.count, activation: dense.activation, useBias: dense.bias != nil,
        regularizer: dense.regularizer, seed: 0)
    try transfer(
        weight: dense.weight, rows: rows, inputs: inputs,
        bias: both(dense.bias, bias), into: (result.weight, result.bias))
    result.isTraining = dense.isTraining
    return result
}

/// A Conv2D with only the given output channels and input channels of `conv`.
private func slice(_ conv: Conv2D, rows: [Int]?, inputs: [Int]?) throws -> Conv2D {
    let rows = rows ?? Array(0..<conv.outputChannels)
    let inputs = inputs ?? Array(0..<conv.inputChannels)
    let result = try Conv2D(
        inputs.count, rows.count, kernelSize: conv.kernelSize, stride: conv.stride,
        padding: conv.padding, dilation: conv.dilation, activation: conv.activation,
        useBias: conv.bias != nil, regularizer: conv.regularizer, seed: 0)
    try transfer(
        weight: conv.weight, rows: rows, inputs: inputs,
        bias: conv.bias.map { ($0, $0.value) }, into: (result.weight, result.bias))
    result.isTraining = conv.isTraining
    return result
}

/// A BatchNorm over the kept channels only: their γ, β and running statistics.
private func slice(_ norm: BatchNorm, keeping kept: [Int]) throws -> BatchNorm {
    let result = try BatchNorm(
        kept.count, momentum: norm.momentum, epsilon: norm.epsilon, affine: norm.weight != nil)
    var state: [String: Tensor] = [
        "running_mean": try pick(norm.runningMean.value, kept),
        "running_var": try pick(norm.runningVariance.value, kept),
        "num_batches_tracked": norm.batchesTracked.value,
    ]
    if let weight = norm.weight, let bias = norm.bias {
        state["weight"] = try pick(weight.value, kept)
        state["bias"] = try pick(bias.value, kept)
    }
    try result.load(stateDict: state)
    for (old, new) in zip(norm.parameters, result.parameters) {
        if let mask = old.mask { try new.setMask(pick(mask, kept)) }
        new.isFrozen = old.isFrozen
        new.group = old.group
    }
    result.isTraining = norm.isTraining
    return result
}

/// Both values, or nil when either is missing.
private func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
