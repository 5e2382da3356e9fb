import Cell
import Tensor

/// Results of library calls: parameters are read by handle (`arguments[x]`, see
/// ArgumentKinds.swift for tensors, shapes, axes, sizes, layers and seeds).
extension Arguments {
    /// Wraps a tensor as a cell value.
    func wrap(tensor: Tensor) throws -> Value {
        try session.wrap(tensor)
    }
}
