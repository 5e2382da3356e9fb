import Tensor

// Optimizer state as named tensors, for checkpoints that resume training exactly: each
// parameter's state under `<parameter name>.<state name>` with PyTorch's state names
// (`exp_avg`, `exp_avg_sq`, `momentum_buffer`, …), plus the update count.

/// A per-parameter optimizer state that can be written as named tensors and read back.
protocol NamedStateTensors {
    /// The state's tensors by PyTorch's names (placeholders left out).
    var namedTensors: [(name: String, tensor: Tensor)] { get }
    /// Replaces the state's tensors with those in `tensors` (by name), checking shapes
    /// against `shape`.
    mutating func restore(from tensors: [String: Tensor], shape: [Int]) throws
}

extension OptimizerBase {
    /// The optimizer's state for `model`'s parameters: `<name>.<state>` tensors plus
    /// `stepCount` (an int32 scalar), for a checkpoint.
    ///
    /// ```swift
    /// let saved = try opt.stateDict(for: model)
    /// try resumed.load(stateDict: saved, for: model)
    /// ```
    public func stateDict(for model: any Layer) throws -> [String: Tensor] {
        var result: [String: Tensor] = ["stepCount": try stepCountTensor()]
        for (name, parameter) in model.namedParameters() {
            guard let state = state(for: parameter) as? any NamedStateTensors else { continue }
            for (stateName, tensor) in state.namedTensors {
                result["\(name).\(stateName)"] = tensor.detached
            }
        }
        return result
    }

    /// Restores the state written by `stateDict(for:)` for `model`'s parameters (matched by
    /// name); parameters without saved state start afresh.
    public func load(stateDict: [String: Tensor], for model: any Layer) throws {
        var restored: [(Parameter, State)] = []
        for (name, parameter) in model.namedParameters() {
            let prefix = name + "."
            var tensors: [String: Tensor] = [:]
            for (key, tensor) in stateDict where key.hasPrefix(prefix) {
                tensors[String(key.dropFirst(prefix.count))] = tensor
            }
            guard !tensors.isEmpty else { continue }
            guard var state = try makeState(for: parameter) as? any NamedStateTensors else {
                continue
            }
            do {
                try state.restore(from: tensors, shape: parameter.shape)
            } catch let error as NNError {
                throw NNError.invalidArgument(
                    function: "\(self.name).load(stateDict:)", message: "'\(name)': \(error)")
            }
            guard let typed = state as? State else { continue }
            restored.append((parameter, typed))
        }
        resetState()
        for (parameter, state) in restored { setState(state, for: parameter) }
        if let steps = stateDict["stepCount"] {
            let value = steps.scalars.first ?? 0
            restoreStepCount(Int(exactly: value.rounded()) ?? 0)
        }
    }

    private func stepCountTensor() throws -> Tensor {
        try Tensor([Int32(clamping: stepCount)], shape: [])
    }
}

// MARK: - Helpers for the state types

/// The tensor named `name` in `tensors` if present, checked to have `shape`.
func restoredTensor(_ name: String, in tensors: [String: Tensor], shape: [Int]) throws
    -> Tensor?
{
    guard let tensor = tensors[name] else { return nil }
    guard tensor.shape == shape, tensor.dtype == .float32 else {
        throw NNError.invalidArgument(
            function: "optimizer state",
            message: "'\(name)' is \(tensor.dtype) \(tensor.shape), expected float32 \(shape)")
    }
    return try tensor.detached.contiguous()
}

/// The step count stored under `step` (a scalar), if present.
func restoredStep(in tensors: [String: Tensor]) -> Int? {
    guard let tensor = tensors["step"], let value = tensor.scalars.first else { return nil }
    return Int(exactly: value.rounded())
}

extension MomentumState: NamedStateTensors {
    var namedTensors: [(name: String, tensor: Tensor)] {
        isStarted ? [("momentum_buffer", buffer)] : []
    }

    mutating func restore(from tensors: [String: Tensor], shape: [Int]) throws {
        if let buffer = try restoredTensor("momentum_buffer", in: tensors, shape: shape) {
            self.buffer = buffer
            isStarted = true
        }
    }
}

extension AdamState: NamedStateTensors {
    var namedTensors: [(name: String, tensor: Tensor)] {
        var result = [
            ("step", Tensor(Float(step))), ("exp_avg", firstMoment),
            ("exp_avg_sq", secondMoment),
        ]
        if maximumSecondMoment.rank > 0 {
            result.append(("max_exp_avg_sq", maximumSecondMoment))
        }
        return result
    }

    mutating func restore(from tensors: [String: Tensor], shape: [Int]) throws {
        step = restoredStep(in: tensors) ?? step
        firstMoment = try restoredTensor("exp_avg", in: tensors, shape: shape) ?? firstMoment
        secondMoment = try restoredTensor("exp_avg_sq", in: tensors, shape: shape) ?? secondMoment
        if maximumSecondMoment.rank > 0 {
            maximumSecondMoment =
                try restoredTensor("max_exp_avg_sq", in: tensors, shape: shape)
                ?? maximumSecondMoment
        }
    }
}

extension RMSPropState: NamedStateTensors {
    var namedTensors: [(name: String, tensor: Tensor)] {
        var result = [("square_avg", squareAverage)]
        if gradientAverage.rank > 0 { result.append(("grad_avg", gradientAverage)) }
        if momentumBuffer.rank > 0 { result.append(("momentum_buffer", momentumBuffer)) }
        return result
    }

    mutating func restore(from tensors: [String: Tensor], shape: [Int]) throws {
        squareAverage =
            try restoredTensor("square_avg", in: tensors, shape: shape) ?? squareAverage
        if gradientAverage.rank > 0 {
            gradientAverage =
                try restoredTensor("grad_avg", in: tensors, shape: shape) ?? gradientAverage
        }
        if momentumBuffer.rank > 0 {
            momentumBuffer =
                try restoredTensor("momentum_buffer", in: tensors, shape: shape) ?? momentumBuffer
        }
    }
}

extension AdagradState: NamedStateTensors {
    var namedTensors: [(name: String, tensor: Tensor)] {
        [("step", Tensor(Float(step))), ("sum", sum)]
    }

    mutating func restore(from tensors: [String: Tensor], shape: [Int]) throws {
        step = restoredStep(in: tensors) ?? step
        sum = try restoredTensor("sum", in: tensors, shape: shape) ?? sum
    }
}

extension AdadeltaState: NamedStateTensors {
    var namedTensors: [(name: String, tensor: Tensor)] {
        [("square_avg", squareAverage), ("acc_delta", deltaAverage)]
    }

    mutating func restore(from tensors: [String: Tensor], shape: [Int]) throws {
        squareAverage =
            try restoredTensor("square_avg", in: tensors, shape: shape) ?? squareAverage
        deltaAverage = try restoredTensor("acc_delta", in: tensors, shape: shape) ?? deltaAverage
    }
}

extension LionState: NamedStateTensors {
    var namedTensors: [(name: String, tensor: Tensor)] { [("exp_avg", momentum)] }

    mutating func restore(from tensors: [String: Tensor], shape: [Int]) throws {
        momentum = try restoredTensor("exp_avg", in: tensors, shape: shape) ?? momentum
    }
}
