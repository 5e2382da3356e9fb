import Tensor

/// The values of a model's parameters and buffers at one moment, to put back later: what early
/// stopping keeps of the best epoch and what the LR finder restores after its sweep.
///
/// Tensors are copy-on-write, so taking a snapshot copies nothing; the next optimizer step
/// copies each parameter once as it writes. Restoring keeps every `Parameter` and `Buffer`
/// object (the optimizer's state stays attached) and only replaces their values.
///
/// ```swift
/// let saved = ModelSnapshot(of: model)
/// try model.fit(…)
/// try saved.restore()
/// ```
public struct ModelSnapshot {
    private let parameters: [(name: String, parameter: Parameter, value: Tensor)]
    private let buffers: [(name: String, buffer: Buffer, value: Tensor)]

    /// The current values of `model`'s parameters and buffers.
    public init(of model: any Layer) {
        parameters = model.namedParameters().map { ($0.name, $0.parameter, $0.parameter.value) }
        buffers = model.namedBuffers().map { ($0.name, $0.buffer, $0.buffer.value) }
    }

    /// A snapshot of `model` holding the values of `stateDict` (as saved in a checkpoint).
    ///
    /// - Throws: `NNError.stateDictMismatch` naming every entry that is missing or does not fit.
    init(of model: any Layer, stateDict: [String: Tensor]) throws {
        var differences: [StateDictDifference] = []
        func value(_ name: String, like current: Tensor) -> Tensor? {
            guard let saved = stateDict[name] else {
                differences.append(.missing(name: name))
                return nil
            }
            guard saved.shape == current.shape, saved.dtype == current.dtype else {
                differences.append(
                    .shapeMismatch(name: name, model: current.shape, stateDict: saved.shape))
                return nil
            }
            return saved
        }
        parameters = model.namedParameters().compactMap { name, parameter in
            value(name, like: parameter.value).map { (name, parameter, $0) }
        }
        buffers = model.namedBuffers().compactMap { name, buffer in
            value(name, like: buffer.value).map { (name, buffer, $0) }
        }
        guard differences.isEmpty else { throw NNError.stateDictMismatch(differences) }
    }

    /// Puts the saved values back into the same parameters and buffers.
    public func restore() throws {
        for (_, parameter, value) in parameters { try parameter.assign(value) }
        for (_, buffer, value) in buffers { try buffer.assign(value) }
    }

    /// The saved values by dotted name, as `Layer.stateDict()` names them.
    public var stateDict: [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, _, value) in parameters { result[name] = value }
        for (name, _, value) in buffers { result[name] = value }
        return result
    }
}
