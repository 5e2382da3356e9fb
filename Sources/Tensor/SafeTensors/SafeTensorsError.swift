/// Everything that can go wrong reading or writing a safetensors file, naming the file and,
/// where one is to blame, the tensor.
///
/// Every violation of the format is thrown, never trapped: a truncated download, a header that
/// lies about its length or offsets that overlap are errors a user can act on.
///
/// ```swift
/// do { _ = try SafeTensorsFile.read("model.safetensors") } catch { print(error) }
/// // model.safetensors: tensor "0.weight": data_offsets [0, 400] hold 400 bytes, but F32
/// // [128, 784] needs 401408
/// ```
public enum SafeTensorsError: Error, Sendable, Equatable {
    /// The file could not be opened or read; `reason` is what the system said.
    case unreadableFile(path: String, reason: String)
    /// The file (or its temporary sibling) could not be written, synced or renamed.
    case unwritableFile(path: String, reason: String)
    /// The 8-byte length or the JSON header breaks the format: too short, too long, not UTF-8,
    /// not JSON, not an object, a duplicate key, a `__metadata__` that is not string → string.
    case invalidHeader(path: String, problem: String)
    /// One tensor's entry is wrong: an unknown field, a bad shape, offsets that do not match
    /// the shape and dtype, overlap, leave a gap or run past the data.
    case invalidTensor(path: String, tensor: String, problem: String)
    /// A tensor's dtype is valid safetensors but has no Trainbook equivalent (F8_E4M3, …).
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// A tensor's values do not fit the type they are converted to (an I64 beyond Int32).
    case unconvertible(path: String, tensor: String, problem: String)
    /// The bytes after the last tensor's data do not match the header: missing or extra.
    case dataLengthMismatch(path: String, expected: Int, actual: Int)
    /// A name or metadata entry cannot be written (the reserved `__metadata__`).
    case invalidName(name: String, problem: String)
    /// A tensor could not be allocated (most often the memory budget).
    case tensor(TensorError)
}

// MARK: - User-facing text

extension SafeTensorsError: CustomStringConvertible {
    /// The message shown to the user: one line naming the file, the tensor and the problem.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .unwritableFile(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .invalidHeader(let path, let problem):
            return "\(path): not a valid safetensors file: \(problem)"
        case .invalidTensor(let path, let tensor, let problem):
            return "\(path): tensor \"\(tensor)\": \(problem)"
        case .unsupportedDType(let path, let tensor, let dtype):
            return "\(path): tensor \"\(tensor)\" has dtype \(dtype), which Trainbook cannot "
                + "read (it reads F32, F64, F16, BF16, I64, I32, U32, I16, U16, I8, U8, BOOL)"
        case .unconvertible(let path, let tensor, let problem):
            return "\(path): tensor \"\(tensor)\": \(problem)"
        case .dataLengthMismatch(let path, let expected, let actual):
            let difference =
                actual < expected
                ? "truncated: \(expected - actual) bytes of tensor data are missing"
                : "\(actual - expected) unexpected bytes follow the last tensor"
            return "\(path): \(difference) (the header describes \(expected) bytes of data, "
                + "the file has \(actual))"
        case .invalidName(let name, let problem):
            return "cannot save \"\(name)\": \(problem)"
        case .tensor(let error):
            return error.description
        }
    }
}
