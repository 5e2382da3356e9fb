import Tensor

/// Updates a model's parameters from gradients, in place and off the autodiff tape.
///
/// Concrete optimizers (`SGD`, `Adam`, `AdamW`, `RMSProp`, `Adagrad`, `Adadelta`, `Lion`)
/// share `OptimizerBase`, which clips the gradients, resolves each parameter's learning rate
/// and weight decay from its `ParameterGroup`, skips frozen parameters, keeps per-parameter
/// state keyed by parameter identity and re-applies constraints and pruning masks after each
/// step; each optimizer writes only its per-parameter rule.
///
/// ```swift
/// let opt = Adam(learningRate: 1e-3)
/// let (loss, grads) = try valueWithGradient(of: model) { m in try softmaxCrossEntropy(m(x), y) }
/// try opt.update(model, along: grads)
/// ```
public protocol Optimizer: AnyObject {
    /// The optimizer's name ("Adam").
    var name: String { get }
    /// The current learning rate (a schedule changes it between steps).
    var learningRate: Float { get set }
    /// The learning rate the optimizer was made with; group learning rates are relative to it.
    var initialLearningRate: Float { get }
    /// The weight decay applied to parameters outside any group that sets its own.
    var weightDecay: Float { get set }
    /// Learning rates and weight decays for selected parameters (first match wins).
    var parameterGroups: [ParameterGroup] { get set }
    /// How gradients are clipped before each step, if at all.
    var clipping: GradientClipping? { get set }
    /// The number of updates made so far.
    var stepCount: Int { get }
    /// The hyperparameters, by name, for display and records.
    var hyperparameters: [(name: String, value: Float)] { get }

    /// Applies one step to every trainable parameter of `model` that has a gradient in
    /// `gradients`.
    func update(_ model: any Layer, along gradients: Gradients) throws

    /// Forgets all per-parameter state (momentum, moment estimates) and the step count.
    func resetState()

    /// The per-parameter state for `model` as named tensors (`1.weight.exp_avg`, …) plus the
    /// update count, for a checkpoint.
    func stateDict(for model: any Layer) throws -> [String: Tensor]

    /// Restores state written by `stateDict(for:)`, so training resumes exactly.
    func load(stateDict: [String: Tensor], for model: any Layer) throws
}

// MARK: - Default implementations

extension Optimizer {
    /// The learning rate the next step gives the parameter named `name`: the rate of the first
    /// `ParameterGroup` that selects it, scaled as a schedule has scaled `learningRate` from
    /// `initialLearningRate`, or `learningRate` itself.
    ///
    /// ```swift
    /// opt.parameterGroups = [ParameterGroup(prefix: "0", learningRate: 1e-4)]
    /// opt.learningRate(forParameterNamed: "0.weight", model[0].weight)   // 1e-4
    /// ```
    public func learningRate(forParameterNamed name: String, _ parameter: Parameter) -> Float {
        guard let group = group(of: name, parameter), let rate = group.learningRate else {
            return learningRate
        }
        return initialLearningRate > 0 ? rate * (learningRate / initialLearningRate) : rate
    }

    /// The weight decay the next step gives the parameter named `name` (its group's, or
    /// `weightDecay`).
    public func weightDecay(forParameterNamed name: String, _ parameter: Parameter) -> Float {
        group(of: name, parameter)?.weightDecay ?? weightDecay
    }

    /// The first group that selects the parameter, if any.
    private func group(of name: String, _ parameter: Parameter) -> ParameterGroup? {
        parameterGroups.first { $0.contains(name: name, parameter: parameter) }
    }
}

/// Selects parameters by dotted-name prefix or by `Parameter.group` and gives them their own
/// learning rate and/or weight decay (for example a small learning rate for a pretrained
/// body and a larger one for a new head).
///
/// A group's learning rate is stated at the optimizer's initial learning rate and follows it
/// proportionally when a schedule (or you) change `learningRate`.
///
/// ```swift
/// let opt = SGD(learningRate: 1e-2, momentum: 0.9)
/// opt.parameterGroups = [ParameterGroup(prefix: "0", learningRate: 1e-4)]
/// ```
public struct ParameterGroup: Sendable, Hashable {
    /// Which parameters a group applies to.
    public enum Selector: Sendable, Hashable {
        /// Parameters whose dotted name is the prefix or starts with it followed by a dot
        /// ("0" selects "0.weight" and "0.bias" but not "10.weight").
        case namePrefix(String)
        /// Parameters whose `group` is this name.
        case group(String)
    }

    /// Which parameters the group applies to.
    public var selector: Selector
    /// The group's learning rate at the optimizer's initial learning rate (nil: the
    /// optimizer's).
    public var learningRate: Float?
    /// The group's weight decay (nil: the optimizer's).
    public var weightDecay: Float?

    /// A group of the parameters whose names start with `prefix`.
    public init(prefix: String, learningRate: Float? = nil, weightDecay: Float? = nil) {
        self.selector = .namePrefix(prefix)
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// A group of the parameters whose `Parameter.group` is `group`.
    public init(group: String, learningRate: Float? = nil, weightDecay: Float? = nil) {
        self.selector = .group(group)
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// Whether the parameter named `name` belongs to this group.
    public func contains(name: String, parameter: Parameter) -> Bool {
        switch selector {
        case .group(let group):
            return parameter.group == group
        case .namePrefix(let prefix):
            return covers(name, prefix: prefix)
        }
    }
}

/// How gradients are clipped before an optimizer step.
public enum GradientClipping: Sendable, Hashable {
    /// Scale all gradients together so their global Euclidean norm is at most the value.
    case globalNorm(Float)
    /// Clamp every gradient element into [−value, value].
    case value(Float)

    /// Clips `gradients` in place.
    public func apply(to gradients: inout Gradients) throws {
        switch self {
        case .globalNorm(let limit): try gradients.clip(byGlobalNorm: limit)
        case .value(let limit): try gradients.clip(byValue: limit)
        }
    }
}
