import Tensor

/// The learning rate and weight decay that apply to one parameter in one step, after its
/// group and the schedule are taken into account.
struct StepSettings {
    /// The learning rate for this parameter.
    let learningRate: Float
    /// The weight decay for this parameter.
    let weightDecay: Float
}

/// What every optimizer shares: clipping, groups, frozen parameters, per-parameter state keyed
/// by identity, constraints and masks. A subclass supplies `makeState(for:)` and
/// `step(_:gradient:state:settings:)`, the rule for one parameter.
///
/// `State` is a struct of tensors made once per parameter; a step updates them in place
/// (`scale`, `addScaled`, `assign`), so a steady-state step does not grow memory.
public class OptimizerBase<State>: Optimizer {
    /// The optimizer's name.
    public var name: String { String(describing: type(of: self)) }
    /// The current learning rate.
    public var learningRate: Float
    /// The learning rate the optimizer was made with.
    public let initialLearningRate: Float
    /// The weight decay for parameters outside groups that set their own.
    public var weightDecay: Float
    /// Per-group learning rates and weight decays.
    public var parameterGroups: [ParameterGroup] = []
    /// Gradient clipping before each step.
    public var clipping: GradientClipping?
    /// The number of updates made so far.
    public private(set) var stepCount = 0

    private var states: [State] = []
    private var stateIndex: [ObjectIdentifier: Int] = [:]
    /// The mask generation of each state's parameter when the state was last cleared at its
    /// pruned entries.
    private var maskGenerations: [Int] = []
    /// Keeps each parameter with state alive so its identity cannot be reused.
    private var stateOwners: [Parameter] = []

    /// An optimizer with the given learning rate and weight decay.
    init(name: String, learningRate: Float, weightDecay: Float) throws {
        guard learningRate >= 0, learningRate.isFinite else {
            throw NNError.invalidArgument(
                function: name, message: "the learning rate must be >= 0, got \(learningRate)")
        }
        guard weightDecay >= 0, weightDecay.isFinite else {
            throw NNError.invalidArgument(
                function: name, message: "the weight decay must be >= 0, got \(weightDecay)")
        }
        self.learningRate = learningRate
        self.initialLearningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// The learning rate and weight decay, plus the subclass's own hyperparameters.
    public var hyperparameters: [(name: String, value: Float)] {
        [("learningRate", learningRate), ("weightDecay", weightDecay)]
    }

    /// Clips the gradients, then steps every trainable parameter that has one.
    public func update(_ model: any Layer, along gradients: Gradients) throws {
        var gradients = gradients
        if let clipping { try clipping.apply(to: &gradients) }
        var names: [ObjectIdentifier: String] = [:]
        for (name, parameter) in model.namedParameters() {
            names[ObjectIdentifier(parameter)] = name
        }
        stepCount += 1
        try withoutGradient {
            for entry in gradients.entries where !entry.parameter.isFrozen {
                let parameter = entry.parameter
                guard let name = names[ObjectIdentifier(parameter)] else {
                    throw NNError.unknownName(entry.name, available: Array(names.values).sorted())
                }
                guard entry.gradient.shape == parameter.shape else {
                    throw NNError.invalidArgument(
                        function: "\(self.name).update",
                        message: "the gradient of '\(name)' has shape \(entry.gradient.shape), "
                            + "the parameter \(parameter.shape)")
                }
                let index = try stateIndex(for: parameter)
                try clearPrunedState(at: index, for: parameter)
                let settings = settings(for: name, parameter)
                try step(
                    &parameter.value, gradient: entry.gradient, state: &states[index],
                    settings: settings)
                try parameter.enforceInvariants()
            }
        }
    }

    /// Forgets all per-parameter state and the step count.
    public func resetState() {
        states = []
        maskGenerations = []
        stateIndex = [:]
        stateOwners = []
        stepCount = 0
    }

    /// The state of `parameter` (made on its first step).
    public func hasState(for parameter: Parameter) -> Bool {
        stateIndex[ObjectIdentifier(parameter)] != nil
    }

    /// The state kept for `parameter`, if it has taken a step.
    func state(for parameter: Parameter) -> State? {
        stateIndex[ObjectIdentifier(parameter)].map { states[$0] }
    }

    /// Replaces (or creates) the state kept for `parameter`.
    func setState(_ state: State, for parameter: Parameter) {
        if let index = stateIndex[ObjectIdentifier(parameter)] {
            states[index] = state
            return
        }
        states.append(state)
        maskGenerations.append(-1)
        stateOwners.append(parameter)
        stateIndex[ObjectIdentifier(parameter)] = states.count - 1
    }

    /// Sets the update count (when a checkpoint is restored).
    func restoreStepCount(_ count: Int) {
        stepCount = max(count, 0)
    }

    /// The state for a new parameter; subclasses override.
    func makeState(for parameter: Parameter) throws -> State {
        throw NNError.unsupported("\(name) does not define its state")
    }

    /// Updates `value` in place from `gradient`; subclasses override.
    func step(
        _ value: inout Tensor, gradient: Tensor, state: inout State, settings: StepSettings
    ) throws {
        throw NNError.unsupported("\(name) does not define its step")
    }

    private func stateIndex(for parameter: Parameter) throws -> Int {
        let id = ObjectIdentifier(parameter)
        if let index = stateIndex[id] { return index }
        states.append(try makeState(for: parameter))
        maskGenerations.append(-1)
        stateOwners.append(parameter)
        stateIndex[id] = states.count - 1
        return states.count - 1
    }

    /// Zeroes the state's tensors (momentum, moment estimates, accumulators) at the pruned
    /// entries of `parameter` once after its mask changes, so that nothing the optimizer
    /// remembers from before pruning is kept for a weight that is gone (masked gradients keep
    /// them at zero afterwards).
    private func clearPrunedState(at index: Int, for parameter: Parameter) throws {
        guard maskGenerations[index] != parameter.maskGeneration else { return }
        maskGenerations[index] = parameter.maskGeneration
        guard let mask = parameter.mask, var state = states[index] as? any NamedStateTensors
        else { return }
        var cleared: [String: Tensor] = [:]
        for (name, tensor) in state.namedTensors {
            cleared[name] = tensor.shape == mask.shape ? try tensor * mask + Tensor(0) : tensor
        }
        try state.restore(from: cleared, shape: parameter.shape)
        if let typed = state as? State { states[index] = typed }
    }

    /// The learning rate and weight decay for the parameter named `name`.
    private func settings(for name: String, _ parameter: Parameter) -> StepSettings {
        StepSettings(
            learningRate: learningRate(forParameterNamed: name, parameter),
            weightDecay: weightDecay(forParameterNamed: name, parameter))
    }
}

/// The gradient plus coupled weight decay, g + λ·p, written into `scratch` (kept in the
/// optimizer state and made on first use) so that a decayed step does not allocate; `gradient`
/// itself when λ is 0.
func coupledDecay(_ gradient: Tensor, value: Tensor, decay: Float, into scratch: inout Tensor)
    throws -> Tensor
{
    guard decay != 0 else { return gradient }
    if scratch.shape != gradient.shape { scratch = try Tensor.zeros(like: gradient) }
    try scratch.assign(gradient)
    try scratch.addScaled(value, by: decay)
    return scratch
}

/// Throws unless `value` is in `range` (a hyperparameter check shared by the optimizers).
func requireHyperparameter(
    _ value: Float, in range: ClosedRange<Float>, _ name: String, of optimizer: String
) throws {
    guard range.contains(value) else {
        throw NNError.invalidArgument(
            function: optimizer,
            message: "\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
    }
}
