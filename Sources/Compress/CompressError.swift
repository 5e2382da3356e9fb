/// What can go wrong when compressing a model; each case says what to change.
public enum CompressError: Error, Equatable, CustomStringConvertible {
    /// An argument is outside its range (a sparsity above 1, a schedule ending before it
    /// starts).
    case invalidArgument(function: String, message: String)
    /// The model has a shape the operation cannot handle (no prunable weights, an unsupported
    /// layer between two dense layers).
    case unsupported(function: String, message: String)
    /// A library the operation runs on cannot be loaded (oneDNN for int8 products); the
    /// message says which package to install.
    case libraryUnavailable(function: String, message: String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .invalidArgument(let function, let message):
            return "\(function): \(message)"
        case .unsupported(let function, let message):
            return "\(function): \(message)"
        case .libraryUnavailable(let function, let message):
            return "\(function): \(message)"
        }
    }
}
