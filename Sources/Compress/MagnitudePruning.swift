import NN
import Tensor

/// Prunes the weights of `model` with the smallest magnitudes, in place, until `sparsity` of
/// them are zero: unstructured magnitude pruning (Han et al., 2015, "Learning both Weights and
/// Connections for Efficient Neural Networks").
///
/// The pruned entries get a mask on their `Parameter`, so later training — `fit`, a
/// hand-written loop, any optimizer with its momentum or moment estimates — keeps them at
/// exactly zero. Masks only grow: entries already pruned stay pruned even when `sparsity` is
/// lower than the model's current sparsity. Only weights of rank ≥ 2 are pruned (see
/// `Layer.prunableWeights`); ties between equal magnitudes go to the earlier entry.
///
/// ```swift
/// try prune(model, sparsity: 0.9, scope: .global)
/// model.sparsity                       // 0.9
/// ```
///
/// - Parameters:
///   - model: The model to prune in place.
///   - sparsity: The share of prunable entries to be zero afterwards, in 0...1.
///   - scope: `.layer` prunes each weight tensor to `sparsity`; `.global` uses one magnitude
///     threshold over all of them.
public func prune(_ model: any Layer, sparsity: Double, scope: PruningScope = .layer) throws {
    guard sparsity.isFinite, (0...1).contains(sparsity) else {
        throw CompressError.invalidArgument(
            function: "prune", message: "sparsity must be in 0...1, got \(sparsity)")
    }
    let weights = model.prunableWeights.map(\.parameter)
    guard !weights.isEmpty else {
        throw CompressError.unsupported(
            function: "prune",
            message: "\(model.typeName) has no weights of rank ≥ 2 (Dense, Conv2D, Embedding) "
                + "to prune")
    }
    switch scope {
    case .layer:
        for weight in weights {
            try pruneSmallest(of: [weight], sparsity: sparsity)
        }
    case .global:
        try pruneSmallest(of: weights, sparsity: sparsity)
    }
}

/// Masks the smallest magnitudes across `weights` (one ranking over all of them) so that
/// `sparsity` of their entries are pruned, keeping every entry that is already pruned.
private func pruneSmallest(of weights: [Parameter], sparsity: Double) throws {
    // The ranking key: already-pruned entries first (−1), then magnitudes; NaN sorts last so
    // it is never silently chosen as "small".
    var keys: [Float] = []
    var alreadyPruned = 0
    for weight in weights {
        let values = weight.value.scalars
        let kept = weight.mask?.scalars ?? Array(repeating: 1, count: values.count)
        for (value, keep) in zip(values, kept) {
            if keep == 0 {
                keys.append(-1)
                alreadyPruned += 1
            } else {
                keys.append(value.isNaN ? .infinity : Swift.abs(value))
            }
        }
    }
    let target = Int((sparsity * Double(keys.count)).rounded())
    let count = max(target, alreadyPruned)
    let order = keys.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
    var mask = [Float](repeating: 1, count: keys.count)
    for index in order.prefix(count) { mask[index] = 0 }
    var offset = 0
    for weight in weights {
        let size = weight.elementCount
        let slice = Array(mask[offset..<(offset + size)])
        try weight.setMask(Tensor(slice, shape: weight.shape))
        offset += size
    }
}
