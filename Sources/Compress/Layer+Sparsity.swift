import NN
import Tensor

extension Layer {
    /// The weights that pruning applies to, with their dotted names: every parameter of rank
    /// ≥ 2 (the weights of Dense, Conv2D and Embedding layers); biases and normalization
    /// parameters stay dense.
    ///
    /// ```swift
    /// model.prunableWeights.map(\.name)   // ["0.weight", "2.weight"]
    /// ```
    public var prunableWeights: [(name: String, parameter: Parameter)] {
        namedParameters().filter { $0.parameter.shape.count >= 2 }
    }

    /// The share of the prunable weights' entries that are pruned (masked), 0 for an unpruned
    /// model.
    ///
    /// ```swift
    /// try prune(model, sparsity: 0.8)
    /// model.sparsity                       // 0.8
    /// ```
    public var sparsity: Float {
        let weights = prunableWeights.map(\.parameter)
        let total = weights.reduce(0) { $0 + $1.elementCount }
        guard total > 0 else { return 0 }
        let pruned = weights.reduce(Float(0)) { $0 + $1.sparsity * Float($1.elementCount) }
        return pruned / Float(total)
    }

    /// The sparsity of each prunable weight, by dotted name, in model order.
    ///
    /// ```swift
    /// model.weightSparsities               // [("0.weight", 0.93), ("2.weight", 0.41)]
    /// ```
    public var weightSparsities: [(name: String, sparsity: Float)] {
        prunableWeights.map { ($0.name, $0.parameter.sparsity) }
    }

    /// The number of parameter entries (weights and biases, int8 layers' fixed ones included)
    /// that are not zero: what a sparse format stores.
    public var nonZeroParameterCount: Int {
        let values = parameters.map(\.value) + fixedParameters.map(\.value)
        return values.reduce(0) { count, value in
            count + value.scalars.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        }
    }
}
