import Memory

/// The language's own values and the session's memory budget (module Memory, shared with
/// tensors). Operations that allocate in proportion to their input (`Array(repeating:count:)`,
/// string repetition, concatenation, appends that grow storage) check first, so an allocation
/// beyond the budget is an error before it happens, counted together with the tensors.
extension MemoryBudget {
    /// Checks that a value may grow by `bytes`.
    ///
    /// - Throws: `CellError.memoryBudget` when it may not.
    func checkGrowth(_ bytes: Int) throws(CellError) {
        do {
            try check(bytes)
        } catch {
            throw .memoryBudget(
                requestedBytes: error.requestedBytes, inUseBytes: error.inUseBytes,
                budgetBytes: error.limitBytes)
        }
    }

    /// Checks `count` elements of `stride` bytes each, catching overflow of the product.
    ///
    /// - Throws: `CellError.memoryBudget` when they may not be allocated.
    func checkGrowth(count: Int, stride: Int) throws(CellError) {
        do {
            try check(count: count, stride: stride)
        } catch {
            throw .memoryBudget(
                requestedBytes: error.requestedBytes, inUseBytes: error.inUseBytes,
                budgetBytes: error.limitBytes)
        }
    }
}
