/// Where a magnitude threshold is computed when pruning.
///
/// ```swift
/// try prune(model, sparsity: 0.9, scope: .global)
/// ```
public enum PruningScope: String, Sendable, CaseIterable {
    /// Each weight tensor loses the same share of its entries (its own smallest magnitudes).
    case layer
    /// One threshold over all weight tensors together: the smallest magnitudes of the whole
    /// model go, so layers with many small weights lose more (as
    /// `torch.nn.utils.prune.global_unstructured`).
    case global
}
