import Tensor

// A pruned Dense layer runs its inference as a sparse × dense product when the measured rule
// (`SparseProductRule`) says that is faster for its density and the batch: in evaluation mode,
// with no gradient to record. The sparse rows are built once per weight version (a step, an
// assignment or a new mask rebuilds them).

extension Dense {
    /// The forward pass through the sparse product, or nil when the dense one applies
    /// (training, gradients, no mask, or the rule prefers dense).
    func sparseProductIfFaster(_ input: Tensor) throws -> Tensor? {
        guard !isTraining, let mask = weight.mask, input.rank == 2, !input.requiresGradient,
            !weight.value.requiresGradient, bias?.value.requiresGradient != true
        else { return nil }
        let rows = try sparseRows(mask: mask)
        guard let rows,
            SparseProductRule.prefersSparse(
                density: rows.density, batch: input.shape[0], outputs: outputSize)
        else { return nil }
        if let fused = activation.fusedActivation {
            return try Tensor.sparseLinear(
                input, weight: rows, bias: bias?.value, activation: fused)
        }
        return try activation(Tensor.sparseLinear(input, weight: rows, bias: bias?.value))
    }

    /// The weight's kept entries as sparse rows, rebuilt when the weight has changed; nil
    /// when the density is too high for the sparse product ever to win.
    private func sparseRows(mask: Tensor) throws -> SparseRows? {
        if let cached = sparseWeight, cached.version == weight.version { return cached.rows }
        let kept = mask.scalars
        let density = Double(kept.reduce(0, +)) / Double(max(kept.count, 1))
        let rows =
            density <= SparseProductRule.maximumDensity
            ? SparseRows(
                weight.value.scalars, rows: outputSize, columns: inputSize, keep: { kept[$0] != 0 })
            : nil
        sparseWeight = (weight.version, rows)
        return rows
    }
}
