import Memory
import Tensor

/// Everything that can go wrong while reading, shaping or batching a data set, with the file,
/// line or argument a user needs to fix it.
///
/// Every case is thrown, never trapped: a truncated download or a lying header is an error
/// naming the file and what is wrong, and the session goes on.
///
/// ```swift
/// do { _ = try MNIST(directory: "/tmp/nothing") } catch { print(error) }
/// // cannot read /tmp/nothing/train-images-idx3-ubyte(.gz): no such file
/// ```
public enum DataError: Error, Sendable, Equatable {
    /// A file could not be opened or read; `reason` is what the system said.
    case unreadableFile(path: String, reason: String)
    /// A file was read but its content breaks its format; `problem` says where and how.
    case corruptFile(path: String, problem: String)
    /// A file's header asks for more memory than the budget (or the file) can hold.
    case fileTooLarge(path: String, requestedBytes: Int, limitBytes: Int)
    /// A CSV file cannot become a data set; `line` is 1-based, 0 when no line is to blame.
    case invalidCSV(path: String, line: Int, problem: String)
    /// A bundled resource (the MNIST subset) was not found next to the program or its sources.
    case missingResource(name: String, searched: [String])
    /// An argument is outside what the operation accepts (a batch size of zero, an index past
    /// the end, a fraction outside (0, 1), …).
    case invalidArgument(operation: String, message: String)
    /// Two data sets, or a data set and a transform, do not fit together.
    case incompatible(operation: String, message: String)
    /// A tensor operation failed underneath (most often the memory budget).
    case tensor(TensorError)
}

// MARK: - User-facing text

extension DataError: CustomStringConvertible {
    /// The message shown to the user: one line naming the file or operation and the problem.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .corruptFile(let path, let problem):
            return "\(path) is not a valid file: \(problem)"
        case .fileTooLarge(let path, let requested, let limit):
            return "\(path) asks for \(ByteCount(requested)), more than the "
                + "\(ByteCount(limit)) available; the file is corrupt or the memory "
                + "budget is too small"
        case .invalidCSV(let path, let line, let problem):
            let place = line > 0 ? "\(path), line \(line)" : path
            return "\(place): \(problem)"
        case .missingResource(let name, let searched):
            return "the bundled \(name) was not found (looked in "
                + searched.joined(separator: ", ") + ")"
        case .invalidArgument(let operation, let message):
            return "\(operation): \(message)"
        case .incompatible(let operation, let message):
            return "\(operation): \(message)"
        case .tensor(let error):
            return error.description
        }
    }
}

/// Runs a tensor operation, reporting its failure as `DataError.tensor`.
func tensorOperation<Result>(_ body: () throws(TensorError) -> Result) throws(DataError)
    -> Result
{
    do throws(TensorError) {
        return try body()
    } catch {
        throw .tensor(error)
    }
}
