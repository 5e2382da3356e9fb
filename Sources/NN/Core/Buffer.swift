import Tensor

/// Non-trainable state of a layer that belongs in its state dict, like BatchNorm's
/// `running_mean`, `running_var` and `num_batches_tracked` (PyTorch's "buffers").
///
/// Optimizers and `valueWithGradient(of:)` never touch a buffer; the layer updates it itself
/// (in training mode) and `load(stateDict:)` replaces it.
public final class Buffer {
    /// The current value (Float32 or Int32).
    public internal(set) var value: Tensor

    /// A buffer holding `value` (detached from autodiff).
    public init(_ value: Tensor) {
        self.value = value.detached
    }

    /// Replaces the value with `newValue` of the same shape and dtype.
    public func assign(_ newValue: Tensor) throws {
        guard newValue.shape == value.shape, newValue.dtype == value.dtype else {
            throw NNError.invalidArgument(
                function: "Buffer.assign",
                message: "the new value is \(newValue.dtype) \(newValue.shape), the buffer "
                    + "\(value.dtype) \(value.shape)")
        }
        value = try newValue.detached.contiguous()
    }
}
