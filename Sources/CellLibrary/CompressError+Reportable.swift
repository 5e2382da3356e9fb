import Cell
import Compress

extension CompressError: ReportableError {
    /// ValueError for an argument out of range, NotImplementedError for a model (layer kind or
    /// shape) that the compression operation does not handle yet.
    public var errorName: String {
        switch self {
        case .invalidArgument: return "ValueError"
        case .unsupported: return "NotImplementedError"
        }
    }

    /// The library's message.
    public var errorMessage: String { description }
}
