import Tensor

/// Everything that can go wrong in a layer, loss, optimizer or state dict, with the context a
/// user needs to fix it. Tensor operations inside layers throw `TensorError`, which passes
/// through unchanged.
///
/// ```swift
/// do { _ = try model(images) } catch let error as NNError { print(error) }
/// // Dense(784 → 128): expected an input whose last dimension is 784, got shape [32, 28, 28]
/// ```
public enum NNError: Error, Sendable, Equatable {
    /// A layer got an input whose shape it cannot take; `expected` describes what it needs.
    case invalidInput(layer: String, expected: String, actual: [Int])
    /// A constructor or function argument is outside the values it accepts.
    case invalidArgument(function: String, message: String)
    /// An index into a container (a Sequential) is outside its range.
    case indexOutOfRange(container: String, index: Int, count: Int)
    /// A prediction and its target do not fit together in a loss.
    case targetMismatch(loss: String, prediction: [Int], target: [Int], detail: String)
    /// A parameter, buffer or layer name does not exist in the model.
    case unknownName(String, available: [String])
    /// A state dict does not fit the model; each difference is named.
    case stateDictMismatch([StateDictDifference])
    /// An architecture description cannot be turned back into a model.
    case invalidArchitecture(String)
    /// Reading or writing a model file failed.
    case fileError(path: String, message: String)
    /// The operation is not available for this kind of layer or value.
    case unsupported(String)
}

// MARK: - User-facing text

extension NNError: CustomStringConvertible {
    /// The message shown to the user.
    public var description: String {
        switch self {
        case .invalidInput(let layer, let expected, let actual):
            return "\(layer): expected \(expected), got shape \(actual)"
        case .invalidArgument(let function, let message):
            return "\(function): \(message)"
        case .indexOutOfRange(let container, let index, let count):
            let valid = count == 0 ? "it is empty" : "valid indices are \(-count)..<\(count)"
            return "\(container): index \(index) is out of range (\(valid))"
        case .targetMismatch(let loss, let prediction, let target, let detail):
            return "\(loss): prediction of shape \(prediction) and target of shape \(target) "
                + "do not fit (\(detail))"
        case .unknownName(let name, let available):
            let listed = available.prefix(20).joined(separator: ", ")
            let more = available.count > 20 ? ", …" : ""
            return "no parameter or layer named '\(name)' (available: \(listed)\(more))"
        case .stateDictMismatch(let differences):
            let lines = differences.map { "  - \($0)" }.joined(separator: "\n")
            return "the state dict does not fit the model "
                + "(\(differences.count) difference\(differences.count == 1 ? "" : "s")):\n"
                + lines
        case .invalidArchitecture(let message):
            return "cannot rebuild the model: \(message)"
        case .fileError(let path, let message):
            return "\(path): \(message)"
        case .unsupported(let message):
            return message
        }
    }
}

/// One way a state dict differs from a model (see `Layer.load(stateDict:strict:)`).
public enum StateDictDifference: Sendable, Equatable, CustomStringConvertible {
    /// The model has this entry but the state dict does not.
    case missing(name: String)
    /// The state dict has this entry but the model does not.
    case unexpected(name: String)
    /// Both have the entry with different shapes.
    case shapeMismatch(name: String, model: [Int], stateDict: [Int])
    /// Both have the entry with element types that cannot be converted.
    case dtypeMismatch(name: String, model: DType, stateDict: DType)

    /// One line naming the entry and what differs.
    public var description: String {
        switch self {
        case .missing(let name):
            return "'\(name)' is missing from the state dict"
        case .unexpected(let name):
            return "'\(name)' is in the state dict but not in the model"
        case .shapeMismatch(let name, let model, let stateDict):
            return "'\(name)' has shape \(stateDict) in the state dict but \(model) in the model"
        case .dtypeMismatch(let name, let model, let stateDict):
            return "'\(name)' is \(stateDict) in the state dict but \(model) in the model"
        }
    }
}
