import Cell
import Compress

extension CompressError: ReportableError {
    /// ValueError for an argument out of range, TypeError for a model (its layer kinds or their
    /// order) that the compression operation cannot handle, ImportError for a library it needs
    /// that this machine lacks.
    public var errorName: String {
        switch self {
        case .invalidArgument: return "ValueError"
        case .unsupported: return "TypeError"
        case .libraryUnavailable: return "ImportError"
        }
    }

    /// The library's message.
    public var errorMessage: String { description }
}
