import Memory

/// Everything that can go wrong in a tensor operation, with the context a user needs to fix it.
///
/// Every case is thrown, never trapped: a cell that multiplies mismatched matrices gets an error
/// message naming the operation and both shapes, and the session goes on.
///
/// ```swift
/// do { _ = try a.matmul(b) } catch let error as TensorError { print(error) }
/// // matmul: shapes [2, 3] and [4, 5] do not match (inner dimensions 3 and 4 differ)
/// ```
public enum TensorError: Error, Sendable, Equatable {
    /// The shapes of the operands do not fit together; `detail` says which dimensions disagree.
    case shapeMismatch(operation: String, shapes: [[Int]], detail: String)
    /// An axis argument is outside `-rank..<rank` of a tensor of the given rank.
    case invalidAxis(operation: String, axis: Int, rank: Int)
    /// An index is outside `-size..<size` along an axis of the given size.
    case indexOutOfRange(operation: String, index: Int, axis: Int, size: Int)
    /// An operation got a tensor of an element type it does not support.
    case dtypeMismatch(operation: String, expected: String, actual: DType)
    /// Allocating `requested` bytes with `inUse` already in use (tensors, and the resident
    /// growth that arrays and strings make) would pass the memory budget.
    case allocationBeyondBudget(requested: Int, inUse: Int, limit: Int)
    /// An argument is outside the values the operation accepts (a negative size, a zero step,
    /// an element count that does not match a shape, …).
    case invalidArgument(operation: String, message: String)
    /// A gradient was requested in a way autodiff cannot answer (a non-scalar result without a
    /// seed, an input that does not take part in the computation, …).
    case invalidGradient(message: String)
    /// The work was stopped between two of its blocks because an interrupt was raised
    /// (`Interruption`).
    case interrupted
}

// MARK: - User-facing text

extension TensorError: CustomStringConvertible {
    /// The message shown to the user: one line naming the operation and the values involved.
    public var description: String {
        switch self {
        case .shapeMismatch(let operation, let shapes, let detail):
            let listed = shapes.map { "\($0)" }.joined(separator: " and ")
            return "\(operation): shapes \(listed) do not match (\(detail))"
        case .invalidAxis(let operation, let axis, let rank):
            let valid = rank == 0 ? "a scalar has no axes" : "valid axes are \(-rank)..<\(rank)"
            return "\(operation): axis \(axis) is out of range for a tensor of rank \(rank) "
                + "(\(valid))"
        case .indexOutOfRange(let operation, let index, let axis, let size):
            return "\(operation): index \(index) is out of range for axis \(axis) of size \(size) "
                + "(valid indices are \(-size)..<\(size))"
        case .dtypeMismatch(let operation, let expected, let actual):
            return "\(operation): expected a tensor of \(expected), got \(actual); "
                + "convert it with .converted(to:)"
        case .allocationBeyondBudget(let requested, let inUse, let limit):
            return "cannot allocate \(ByteCount(requested)) with \(ByteCount(inUse)) already "
                + "in use (tensors and other values) of a \(ByteCount(limit)) memory budget; "
                + "free some tensors or arrays, or raise the budget"
        case .invalidArgument(let operation, let message):
            return "\(operation): \(message)"
        case .invalidGradient(let message):
            return "gradient: \(message)"
        case .interrupted:
            return "interrupted"
        }
    }
}
