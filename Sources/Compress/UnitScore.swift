/// How structured pruning ranks the units of a layer: by a norm of each unit's incoming
/// weights (a row of a Dense weight), the weakest going first (Li et al., 2017, "Pruning
/// Filters for Efficient ConvNets", use the L1 norm).
///
/// ```swift
/// let smaller = try pruneUnits(model, fraction: 0.5, by: .l1)
/// ```
public enum UnitScore: String, Sendable, CaseIterable {
    /// The sum of absolute values.
    case l1
    /// The Euclidean norm.
    case l2

    /// The score of a unit with incoming weights `weights`.
    func score(_ weights: ArraySlice<Float>) -> Float {
        switch self {
        case .l1: return weights.reduce(0) { $0 + Swift.abs($1) }
        case .l2: return weights.reduce(0) { $0 + $1 * $1 }.squareRoot()
        }
    }
}
