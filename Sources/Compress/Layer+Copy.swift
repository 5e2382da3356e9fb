import NN
import Tensor

extension Layer {
    /// An independent copy of this model, rebuilt from its architecture, with its state
    /// (weights and buffers), pruning masks, frozen flags and mode: what to prune or quantize
    /// while keeping the original.
    ///
    /// ```swift
    /// let pruned = try model.copiedModel()
    /// try prune(pruned, sparsity: 0.9)          // model keeps its weights
    /// ```
    ///
    /// - Throws: `NNError` when the model has a layer that cannot describe its architecture.
    public func copiedModel() throws -> any Layer {
        let copy = try architecture().build()
        try copy.load(stateDict: stateDict())
        let originals = Dictionary(
            namedParameters().map { ($0.name, $0.parameter) }, uniquingKeysWith: { a, _ in a })
        for (name, parameter) in copy.namedParameters() {
            guard let original = originals[name] else { continue }
            if let mask = original.mask { try parameter.setMask(mask) }
            parameter.isFrozen = original.isFrozen
            parameter.group = original.group
        }
        copy.setTraining(isTraining)
        return copy
    }
}
