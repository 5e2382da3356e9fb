import Tensor

/// A trainable tensor of a layer: its value, the last gradient taken of it, whether it is
/// frozen, an optional group name and an optional pruning mask.
///
/// A parameter is a reference: the layer, the optimizer (which keys its state by the
/// parameter's identity) and `Gradients` all point at the same one, so `model.fit(...)` and
/// `opt.update(model, along: grads)` change the model in place.
///
/// ```swift
/// let layer = try Dense(784, 128)
/// layer.weight.shape                   // [128, 784]
/// layer.weight.isFrozen = true         // the optimizer leaves it alone
/// try layer.weight.setMask(keep)       // pruned entries stay exactly zero
/// ```
public final class Parameter {
    /// The current value (Float32). Change it with `assign(_:)` or an optimizer.
    public internal(set) var value: Tensor
    /// The gradient taken by the last `valueWithGradient(of:)` that included this parameter
    /// (nil before the first one, or when frozen at that time).
    public internal(set) var gradient: Tensor?
    /// Whether optimizers and `valueWithGradient(of:)` skip this parameter.
    public var isFrozen: Bool
    /// A group name that optimizers can select for their own learning rate or weight decay
    /// (see `ParameterGroup`).
    public var group: String?
    /// A constraint applied to the value after every optimizer update (for example max-norm).
    public var constraint: Constraint?
    /// The pruning mask: 1 where the value is kept, 0 where it is pruned and held at exactly 0.
    public private(set) var mask: Tensor?
    /// Counts the changes of `mask`, so that optimizers know when to clear their state at
    /// newly pruned entries.
    public private(set) var maskGeneration = 0
    /// Counts the changes of `value` made through `assign`, masks and optimizer steps, so that
    /// forms derived from it (a layer's sparse weight for inference) know when to rebuild.
    public private(set) var version = 0

    /// A parameter holding `value`, which must be a Float32 tensor.
    ///
    /// - Parameters:
    ///   - value: The initial value; it is detached from autodiff.
    ///   - group: An optional group name for optimizers.
    public init(_ value: Tensor, group: String? = nil) throws {
        guard value.dtype == .float32 else {
            throw NNError.invalidArgument(
                function: "Parameter", message: "a parameter must be float32, not \(value.dtype)")
        }
        self.value = value.detached
        self.isFrozen = false
        self.group = group
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }

    /// The number of elements of the value.
    public var elementCount: Int { value.elementCount }

    /// The share of pruned (masked) entries, 0 when there is no mask.
    public var sparsity: Float {
        guard let mask, mask.elementCount > 0 else { return 0 }
        let kept = mask.scalars.reduce(0, +)
        return 1 - kept / Float(mask.elementCount)
    }

    /// Replaces the value with `newValue` of the same shape (converted to Float32 if needed);
    /// it is re-masked when there is a mask.
    ///
    /// ```swift
    /// try layer.bias?.assign(Tensor.zeros([10]))
    /// ```
    public func assign(_ newValue: Tensor) throws {
        guard newValue.shape == value.shape else {
            throw NNError.invalidArgument(
                function: "Parameter.assign",
                message: "the new value has shape \(newValue.shape), the parameter \(value.shape)"
            )
        }
        let converted =
            newValue.dtype == .float32 ? newValue : try newValue.converted(to: .float32)
        value = try converted.detached.contiguous()
        version &+= 1
        try applyMask()
    }

    /// Sets (or, with nil, removes) the pruning mask: entries where `mask` is 0 are set to 0
    /// now and kept at 0 by every later update; any non-zero entry keeps its weight.
    ///
    /// - Parameter mask: A tensor of the parameter's shape, or nil.
    public func setMask(_ mask: Tensor?) throws {
        maskGeneration += 1
        guard let mask else {
            self.mask = nil
            return
        }
        guard mask.shape == value.shape else {
            throw NNError.invalidArgument(
                function: "Parameter.setMask",
                message: "the mask has shape \(mask.shape), the parameter \(value.shape)")
        }
        let numeric = mask.dtype == .float32 ? mask : try mask.converted(to: .float32)
        self.mask = try withoutGradient { try numeric .!= 0 }
        try applyMask()
    }

    /// Sets the masked entries of the value back to exactly +0.0 (after an update).
    func applyMask() throws {
        guard let mask else { return }
        version &+= 1
        // w·0 is −0.0 for a negative w; adding +0.0 turns it into +0.0 and leaves every other
        // value as it is, so all pruned entries have the same bits (a sparse file can drop them
        // and still restore the tensor bit for bit).
        try value.assign(withoutGradient { try value * mask + Tensor(0) })
    }

    /// Applies the constraint, then the mask: what every optimizer does after its step.
    func enforceInvariants() throws {
        version &+= 1
        if let constraint { try constraint.apply(to: &value) }
        try applyMask()
    }
}

extension Parameter: CustomStringConvertible {
    /// "Parameter [128, 784]", with "frozen", the group and the sparsity when they apply.
    public var description: String {
        var notes: [String] = []
        if isFrozen { notes.append("frozen") }
        if let group { notes.append("group \(group)") }
        if mask != nil { notes.append("sparsity \(sparsity)") }
        let suffix = notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))"
        return "Parameter \(value.shape)\(suffix)"
    }
}
