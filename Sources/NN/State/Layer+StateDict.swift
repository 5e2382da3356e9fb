import Tensor

// PyTorch-compatible state dicts: every parameter and buffer under its dotted name, with
// PyTorch's names and layouts, so a state dict saved by `safetensors.torch.save_file` for the
// equivalent torch model loads here and the reverse.

extension Layer {
    /// Every parameter and buffer by dotted name (`1.weight`, `2.running_mean`), detached, as
    /// `torch.nn.Module.state_dict()` gives them for the same architecture.
    ///
    /// ```swift
    /// let state = model.stateDict()
    /// state["1.weight"]?.shape     // [128, 784]
    /// ```
    public func stateDict() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, entry) in stateEntries() { result[name] = entry.value.detached }
        return result
    }

    /// Replaces parameters and buffers with the state dict's tensors, after checking all of
    /// them: nothing is changed unless every entry fits.
    ///
    /// Shapes must match exactly; a parameter takes float32 values, an integer buffer any
    /// integer type. With `strict` (the default) the state dict must hold exactly the model's
    /// entries; without it, missing entries keep their values and unexpected ones are ignored
    /// (like PyTorch's `load_state_dict(strict=False)`). Pruning masks are re-applied.
    ///
    /// ```swift
    /// try model.load(stateDict: trained.stateDict())
    /// ```
    ///
    /// - Throws: `NNError.stateDictMismatch` naming every difference.
    public func load(stateDict: [String: Tensor], strict: Bool = true) throws {
        let entries = stateEntries()
        var differences: [StateDictDifference] = []
        var updates: [(entry: StateEntry, value: Tensor)] = []
        for (name, entry) in entries {
            guard let value = stateDict[name] else {
                if strict { differences.append(.missing(name: name)) }
                continue
            }
            guard value.shape == entry.value.shape else {
                differences.append(
                    .shapeMismatch(name: name, model: entry.value.shape, stateDict: value.shape))
                continue
            }
            guard let converted = try entry.accepting(value) else {
                differences.append(
                    .dtypeMismatch(name: name, model: entry.value.dtype, stateDict: value.dtype))
                continue
            }
            updates.append((entry, converted))
        }
        if strict {
            let known = Set(entries.map(\.name))
            for name in stateDict.keys.sorted() where !known.contains(name) {
                differences.append(.unexpected(name: name))
            }
        }
        guard differences.isEmpty else { throw NNError.stateDictMismatch(differences) }
        for (entry, value) in updates { try entry.assign(value) }
    }

    /// Parameters then buffers, each with its dotted name, in model order.
    func stateEntries() -> [(name: String, entry: StateEntry)] {
        namedParameters().map { ($0.name, StateEntry.parameter($0.parameter)) }
            + namedBuffers().map { ($0.name, StateEntry.buffer($0.buffer)) }
    }
}

/// One entry of a state dict: a parameter or a buffer.
enum StateEntry {
    /// A trainable parameter.
    case parameter(Parameter)
    /// A buffer.
    case buffer(Buffer)

    /// The current value.
    var value: Tensor {
        switch self {
        case .parameter(let parameter): return parameter.value
        case .buffer(let buffer): return buffer.value
        }
    }

    /// `value` in this entry's dtype when it can take it (float32 for float32, any integer type
    /// for an integer buffer), else nil.
    func accepting(_ value: Tensor) throws -> Tensor? {
        let target = self.value.dtype
        if value.dtype == target { return value }
        let integers: Set<DType> = [.int32, .uint8, .int8]
        guard integers.contains(target), integers.contains(value.dtype) else { return nil }
        return try value.converted(to: target)
    }

    /// Replaces the value (re-masking a parameter).
    func assign(_ value: Tensor) throws {
        switch self {
        case .parameter(let parameter): try parameter.assign(value)
        case .buffer(let buffer): try buffer.assign(value)
        }
    }
}
