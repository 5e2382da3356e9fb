import Cell
import Data
import NN
import Tensor

// Library errors as cells report them: a kind a Python user recognises (ShapeError, IndexError,
// ValueError, MemoryError, FileError) and the library's own one-line message.

extension TensorError: ReportableError {
    /// ShapeError, IndexError, TypeError, MemoryError or ValueError.
    public var errorName: String {
        switch self {
        case .shapeMismatch: return "ShapeError"
        case .invalidAxis, .indexOutOfRange: return "IndexError"
        case .dtypeMismatch: return "TypeError"
        case .allocationBeyondBudget: return "MemoryError"
        case .invalidArgument, .invalidGradient: return "ValueError"
        case .interrupted: return "KeyboardInterrupt"
        }
    }

    /// The library's message.
    public var errorMessage: String { description }

    /// Whether a long product stopped because the cell was interrupted.
    public var isInterruption: Bool {
        if case .interrupted = self { return true }
        return false
    }
}

extension NNError: ReportableError {
    /// ShapeError, IndexError, KeyError, FileError or ValueError.
    public var errorName: String {
        switch self {
        case .invalidInput, .targetMismatch, .stateDictMismatch: return "ShapeError"
        case .indexOutOfRange: return "IndexError"
        case .unknownName: return "KeyError"
        case .fileError: return "FileError"
        default: return "ValueError"
        }
    }

    /// The library's message.
    public var errorMessage: String { description }
}

extension DataError: ReportableError {
    /// FileError, MemoryError, ValueError, or the tensor error's kind.
    public var errorName: String {
        switch self {
        case .unreadableFile, .corruptFile, .invalidCSV, .missingResource: return "FileError"
        case .fileTooLarge: return "MemoryError"
        case .tensor(let error): return error.errorName
        default: return "ValueError"
        }
    }

    /// The library's message.
    public var errorMessage: String { description }
}

extension SafeTensorsError: ReportableError {
    /// FileError, or the tensor error's kind.
    public var errorName: String {
        if case .tensor(let error) = self { return error.errorName }
        return "FileError"
    }

    /// The library's message.
    public var errorMessage: String { description }
}

extension CommunicationError: ReportableError {
    /// ClusterError, or KeyboardInterrupt for a wait the stop button ended.
    public var errorName: String { isInterruption ? "KeyboardInterrupt" : "ClusterError" }

    /// The library's message.
    public var errorMessage: String { description }

    /// Whether the wait for the other ranks was interrupted.
    public var isInterruption: Bool {
        if case .interrupted = self { return true }
        return false
    }
}
