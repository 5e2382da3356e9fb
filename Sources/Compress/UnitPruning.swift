import NN
import Tensor

/// A new, smaller copy of `model` without the weakest `fraction` of the hidden units of each
/// Dense layer that feeds another Dense: structured pruning (Li et al., 2017, "Pruning Filters
/// for Efficient ConvNets"; here for fully connected units).
///
/// A unit is removed with its row of the weight and its bias entry, and the matching column of
/// the next Dense's weight. Between the two Dense layers only element-wise layers may stand
/// (activation layers other than softmax, Dropout); a Dense followed by anything else (or by
/// nothing: the output layer) keeps its units. The result computes what `model` would with the
/// removed units' incoming weights and biases masked: where a removed unit would still output a
/// constant (a sigmoid gives 0.5 for 0), that constant times its outgoing weights is folded into
/// the next bias. Masks of kept entries are carried over; `model` is left unchanged.
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
    // For each Dense whose units are removed: the units it keeps, and the index of the Dense it
    // feeds.
    var keptUnits: [Int: [Int]] = [:]
    var consumer: [Int: Int] = [:]
    for (index, layer) in layers.enumerated() {
        guard let dense = layer as? Dense, dense.activation != .softmax,
            let next = nextDense(after: index, in: layers)
        else { continue }
        keptUnits[index] = strongestUnits(of: dense, keeping: 1 - fraction, by: score)
        consumer[next] = index
    }
    var result: [any Layer] = []
    for (index, layer) in layers.enumerated() {
        guard let dense = layer as? Dense else {
            result.append(try layer.copiedModel())
            continue
        }
        let inputs = consumer[index].flatMap { keptUnits[$0] }
        let bias = try consumer[index].map { producer in
            try foldedBias(of: dense, removing: keptUnits[producer] ?? [], from: producer, layers)
        }
        result.append(
            try slice(
                dense, rows: keptUnits[index], columns: inputs,
                bias: bias ?? dense.bias?.value.scalars))
    }
    let smaller = Sequential(result)
    smaller.isTraining = model.isTraining
    return smaller
}

/// The index of the Dense that `layers[index]` feeds through element-wise layers only, if any.
private func nextDense(after index: Int, in layers: [any Layer]) -> Int? {
    for next in (index + 1)..<layers.count {
        let layer = layers[next]
        if layer is Dense { return next }
        if let activation = layer as? ActivationLayer, activation.activation != .softmax {
            continue
        }
        if layer is Dropout { continue }
        return nil
    }
    return nil
}

/// The units of `dense` with the highest scores, `share` of them (at least one), in order.
private func strongestUnits(of dense: Dense, keeping share: Double, by score: UnitScore) -> [Int] {
    let (units, inputs) = (dense.outputSize, dense.inputSize)
    let removed = Int((Double(units) * (1 - share)).rounded(.down))
    let count = max(units - removed, 1)
    let weights = dense.weight.value.scalars
    let scores = (0..<units).map { unit in
        let value = score.score(weights[(unit * inputs)..<((unit + 1) * inputs)])
        return value.isNaN ? Float.infinity : value
    }
    let ranked = scores.indices.sorted {
        scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1)
    }
    return ranked.prefix(count).sorted()
}

/// The bias of `dense` (the consumer) with the constant outputs of the producer's removed units
/// folded in: b + W[:, removed] · c, where c is what a unit with zero weights and bias outputs
/// after the producer's activation and the element-wise layers between.
private func foldedBias(
    of dense: Dense, removing kept: [Int], from producer: Int, _ layers: [any Layer]
) throws -> [Float]? {
    guard let source = layers[producer] as? Dense else { return dense.bias?.value.scalars }
    var constant = try source.activation(Tensor.zeros([1, source.outputSize]))
    for layer in layers[(producer + 1)..<layers.count] {
        if layer === dense { break }
        if let activation = layer as? ActivationLayer { constant = try activation(constant) }
    }
    let outputs = constant.scalars
    let keptSet = Set(kept)
    let removed = outputs.indices.filter { !keptSet.contains($0) && outputs[$0] != 0 }
    guard !removed.isEmpty else { return dense.bias?.value.scalars }
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
    return bias
}

/// A Dense with only the given rows (output units) and columns (inputs) of `dense`, the given
/// bias values for the kept rows' positions in the original, and the matching mask entries.
private func slice(_ dense: Dense, rows: [Int]?, columns: [Int]?, bias: [Float]?) throws -> Dense {
    let rows = rows ?? Array(0..<dense.outputSize)
    let columns = columns ?? Array(0..<dense.inputSize)
    let result = try Dense(
        columns.count, rows.count, activation: dense.activation, useBias: dense.bias != nil,
        regularizer: dense.regularizer, seed: 0)
    func pick(_ matrix: [Float]) -> [Float] {
        rows.flatMap { row in columns.map { matrix[row * dense.inputSize + $0] } }
    }
    try result.weight.assign(Tensor(pick(dense.weight.value.scalars), shape: result.weight.shape))
    if let mask = dense.weight.mask {
        try result.weight.setMask(Tensor(pick(mask.scalars), shape: result.weight.shape))
    }
    if let newBias = result.bias, let bias, let old = dense.bias {
        try newBias.assign(Tensor(rows.map { bias[$0] }, shape: [rows.count]))
        if let mask = old.mask {
            try newBias.setMask(Tensor(rows.map { mask.scalars[$0] }, shape: [rows.count]))
        }
    }
    result.weight.isFrozen = dense.weight.isFrozen
    result.weight.group = dense.weight.group
    if let newBias = result.bias, let old = dense.bias {
        newBias.isFrozen = old.isFrozen
        newBias.group = old.group
    }
    result.isTraining = dense.isTraining
    return result
}
