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
    private let parameters: [(parameter: Parameter, value: Tensor)]
    private let buffers: [(buffer: Buffer, value: Tensor)]

    /// The current values of `model`'s parameters and buffers.
    public init(of model: any Layer) {
        parameters = model.namedParameters().map { ($0.parameter, $0.parameter.value) }
        buffers = model.namedBuffers().map { ($0.buffer, $0.buffer.value) }
    }

    /// Puts the saved values back into the same parameters and buffers.
    public func restore() throws {
        for (parameter, value) in parameters { try parameter.assign(value) }
        for (buffer, value) in buffers { try buffer.assign(value) }
    }

    /// The saved values by parameter or buffer identity, for comparisons in tests and tools.
    func value(of parameter: Parameter) -> Tensor? {
        parameters.first { $0.parameter === parameter }?.value
    }
}
