import Cell

import enum Tensor.MemoryBudget

/// Applies the session's memory budget to the bytes live tensors may hold (the Tensor module's
/// `MemoryBudget`, a different type from the session's own).
enum TensorMemoryLimit {
    /// Sets the limit of live tensor bytes.
    static func apply(_ bytes: Int) {
        Tensor.MemoryBudget.limit = bytes
    }

    /// The bytes live tensors hold now.
    static var liveBytes: Int { Tensor.MemoryBudget.liveBytes }
}
