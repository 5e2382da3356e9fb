import NN
import Tensor

/// Optimizers (`SGD`, `Adam`, `AdamW`, `RMSProp`, `Adagrad`, `Adadelta`, `Lion`) with PyTorch's
/// hyperparameter names and defaults, parameter groups with their own learning rates, gradient
/// clipping, and `opt.update(model, along: grads)`.
enum OptimizerBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        installParameterGroup(into: registry)
        let lr = { (value: Double) in
            Parameter.labelled("learningRate", type: "Double", default: .double(value))
        }
        let decay = { (value: Double) in
            Parameter.labelled("weightDecay", type: "Double", default: .double(value))
        }
        let number = { (label: String, value: Double) in
            Parameter.labelled(label, type: "Double", default: .double(value))
        }
        let flag = { (label: String) in
            Parameter.labelled(label, type: "Bool", default: .bool(false))
        }
        optimizerType(
            SGD.self, "SGD", registry,
            doc: """
                Stochastic gradient descent with momentum, dampening and Nesterov momentum \
                (Sutskever et al., 2013), as PyTorch's: `SGD(learningRate: 0.1, momentum: 0.9)`.
                """,
            parameters: [
                lr(0.01), number("momentum", 0), number("dampening", 0), flag("nesterov"), decay(0),
            ]
        ) { a in
            try SGD(
                learningRate: try a.float(0), momentum: try a.float(1), dampening: try a.float(2),
                nesterov: try a.bool(3), weightDecay: try a.float(4))
        }
        optimizerType(
            Adam.self, "Adam", registry,
            doc: """
                Adam (Kingma & Ba, 2015), with the AMSGrad option (Reddi et al., 2018): \
                `Adam(learningRate: 1e-3)`.
                """,
            parameters: [
                lr(1e-3), number("beta1", 0.9), number("beta2", 0.999), number("epsilon", 1e-8),
                decay(0), flag("amsgrad"),
            ]
        ) { a in
            try Adam(
                learningRate: try a.float(0), beta1: try a.float(1), beta2: try a.float(2),
                epsilon: try a.float(3), weightDecay: try a.float(4), amsgrad: try a.bool(5))
        }
        optimizerType(
            AdamW.self, "AdamW", registry,
            doc:
                "Adam with decoupled weight decay (Loshchilov & Hutter, 2019): `AdamW(weightDecay: 0.01)`.",
            parameters: [
                lr(1e-3), number("beta1", 0.9), number("beta2", 0.999), number("epsilon", 1e-8),
                decay(0.01), flag("amsgrad"),
            ]
        ) { a in
            try AdamW(
                learningRate: try a.float(0), beta1: try a.float(1), beta2: try a.float(2),
                epsilon: try a.float(3), weightDecay: try a.float(4), amsgrad: try a.bool(5))
        }
        optimizerType(
            RMSProp.self, "RMSProp", registry,
            doc: "RMSProp (Hinton, 2012), optionally centered and with momentum.",
            parameters: [
                lr(0.01), number("alpha", 0.99), number("epsilon", 1e-8), number("momentum", 0),
                flag("centered"), decay(0),
            ]
        ) { a in
            try RMSProp(
                learningRate: try a.float(0), alpha: try a.float(1), epsilon: try a.float(2),
                momentum: try a.float(3), centered: try a.bool(4), weightDecay: try a.float(5))
        }
        optimizerType(
            Adagrad.self, "Adagrad", registry, doc: "Adagrad (Duchi et al., 2011).",
            parameters: [
                lr(0.01), number("learningRateDecay", 0), number("epsilon", 1e-10),
                number("initialAccumulatorValue", 0), decay(0),
            ]
        ) { a in
            try Adagrad(
                learningRate: try a.float(0), learningRateDecay: try a.float(1),
                epsilon: try a.float(2), initialAccumulatorValue: try a.float(3),
                weightDecay: try a.float(4))
        }
        optimizerType(
            Adadelta.self, "Adadelta", registry, doc: "Adadelta (Zeiler, 2012).",
            parameters: [lr(1), number("rho", 0.9), number("epsilon", 1e-6), decay(0)]
        ) { a in
            try Adadelta(
                learningRate: try a.float(0), rho: try a.float(1), epsilon: try a.float(2),
                weightDecay: try a.float(3))
        }
        optimizerType(
            Lion.self, "Lion", registry,
            doc: "Lion, the evolved sign momentum (Chen et al., 2023).",
            parameters: [lr(1e-4), number("beta1", 0.9), number("beta2", 0.99), decay(0)]
        ) { a in
            try Lion(
                learningRate: try a.float(0), beta1: try a.float(1), beta2: try a.float(2),
                weightDecay: try a.float(3))
        }
    }

    /// The options every optimizer takes after its own hyperparameters.
    private static var commonParameters: [Parameter] {
        [
            .labelled("clipNorm", type: "Double?", default: .nilValue),
            .labelled("clipValue", type: "Double?", default: .nilValue),
            .labelled("groups", type: "[ParameterGroup]", default: .array([])),
        ]
    }

    /// Registers an optimizer type: its initializer (own hyperparameters, then clipping and
    /// groups) and the members all optimizers share.
    private static func optimizerType<O: Optimizer>(
        _ swiftType: O.Type, _ name: String, _ registry: Registry, doc: String,
        parameters: [Parameter], make: @escaping (Arguments) throws -> O
    ) {
        registry.type(
            swiftType, name: name, kind: .reference, module: module, doc: doc,
            conformances: ["Optimizer"]
        ) { type in
            let first = parameters.count
            type.initializer(parameters: parameters + commonParameters, doc: doc) { arguments in
                let optimizer = try make(arguments)
                try configure(optimizer, arguments, from: first)
                return try arguments.session.wrap(optimizer)
            }
            installCommonMembers(type, registry)
        }
    }

    /// Applies `clipNorm`, `clipValue` and `groups` from parameter `first` on.
    private static func configure(
        _ optimizer: any Optimizer, _ arguments: Arguments, from first: Int
    )
        throws
    {
        let norm = try arguments.optionalFloat(first)
        let value = try arguments.optionalFloat(first + 1)
        if norm != nil, value != nil {
            throw CellError.badArguments("give clipNorm or clipValue, not both")
        }
        optimizer.clipping = norm.map { .globalNorm($0) } ?? value.map { .value($0) }
        optimizer.parameterGroups = try arguments.array(first + 2).enumerated().map {
            index, group in
            guard let parameterGroup = group.hostPayload(as: ParameterGroup.self) else {
                throw CellError.typeMismatch(
                    "groups[\(index)] must be a ParameterGroup, not \(group.typeName)")
            }
            return parameterGroup
        }
    }

    private static func installCommonMembers<O: Optimizer>(
        _ type: TypeBuilder<O>, _ registry: Registry
    ) {
        type.method(
            "update", parameters: [.positional("model"), .labelled("along")],
            doc: """
                Applies one step to the model's trainable parameters from gradients taken by \
                `valueWithGradient(of:)`: `opt.update(model, along: grads)`.
                """
        ) { optimizer, arguments in
            let gradients = try arguments.host(Gradients.self, 1)
            try optimizer.update(try arguments.layer(0), along: gradients)
            return .void
        }
        type.property(
            "learningRate", type: "Double", doc: "The current learning rate (assignable).",
            get: { .double(Double($0.learningRate)) },
            set: { optimizer, newValue in
                optimizer.learningRate = try positive(newValue, "learningRate")
            })
        type.property(
            "weightDecay", type: "Double", doc: "The weight decay (assignable).",
            get: { .double(Double($0.weightDecay)) },
            set: { optimizer, newValue in
                optimizer.weightDecay = try positive(newValue, "weightDecay")
            })
        type.property(
            "initialLearningRate", type: "Double", doc: "The learning rate it was made with."
        ) { .double(Double($0.initialLearningRate)) }
        type.property("stepCount", type: "Int", doc: "The number of updates made so far.") {
            .int($0.stepCount)
        }
        type.property(
            "hyperparameters", type: "[String: Double]", doc: "The hyperparameters by name."
        ) { optimizer in
            var dictionary = DictionaryValue()
            for (name, value) in optimizer.hyperparameters {
                dictionary[.string(name)] = .double(Double(value))
            }
            return .dictionary(dictionary)
        }
        type.property(
            "parameterGroups", type: "[ParameterGroup]",
            doc: "Learning rates and weight decays for selected parameters (assignable).",
            get: { [unowned registry] optimizer in
                .array(try optimizer.parameterGroups.map { try registry.value(wrapping: $0) })
            },
            set: { optimizer, newValue in
                guard case .array(let groups) = newValue else {
                    throw CellError.typeMismatch(
                        "parameterGroups must be an array of ParameterGroup")
                }
                optimizer.parameterGroups = try groups.map { group in
                    guard let parameterGroup = group.hostPayload(as: ParameterGroup.self) else {
                        throw CellError.typeMismatch("each group must be a ParameterGroup")
                    }
                    return parameterGroup
                }
            })
        type.method("resetState", doc: "Forgets momentum and moment estimates and the step count.")
        {
            optimizer, _ in
            optimizer.resetState()
            return .void
        }
        type.description { optimizer in
            let values = optimizer.hyperparameters.map { "\($0.name): \($0.value)" }
            return "\(optimizer.name)(\(values.joined(separator: ", ")))"
        }
    }

    /// A non-negative, finite Float from a number value.
    private static func positive(_ value: Value, _ name: String) throws -> Float {
        guard let number = value.numberValue, number >= 0, number.isFinite else {
            throw CellError.invalidValue("\(name) must be a finite number >= 0")
        }
        return Float(number)
    }

    private static func installParameterGroup(into registry: Registry) {
        registry.type(
            ParameterGroup.self, name: "ParameterGroup", kind: .value, module: module,
            doc: """
                Parameters selected by name prefix or group, with their own learning rate or \
                weight decay: `Adam(groups: [ParameterGroup(prefix: "0", learningRate: 1e-5)])`.
                """
        ) { type in
            for label in ["prefix", "group"] {
                type.initializer(
                    parameters: [
                        .labelled(label, type: "String"),
                        .labelled("learningRate", type: "Double?", default: .nilValue),
                        .labelled("weightDecay", type: "Double?", default: .nilValue),
                    ],
                    doc: label == "prefix"
                        ? "The parameters whose dotted name starts with `prefix` (\"0\" selects 0.weight)."
                        : "The parameters whose `group` is this name."
                ) { arguments in
                    let name = try arguments.string(0)
                    let rate = try arguments.optionalFloat(1)
                    let decay = try arguments.optionalFloat(2)
                    return try arguments.session.wrap(
                        label == "prefix"
                            ? ParameterGroup(prefix: name, learningRate: rate, weightDecay: decay)
                            : ParameterGroup(group: name, learningRate: rate, weightDecay: decay))
                }
            }
            type.description { group in
                let selector: String
                switch group.selector {
                case .namePrefix(let prefix): selector = "prefix: \"\(prefix)\""
                case .group(let name): selector = "group: \"\(name)\""
                }
                let rate = group.learningRate.map { ", learningRate: \($0)" } ?? ""
                let decay = group.weightDecay.map { ", weightDecay: \($0)" } ?? ""
                return "ParameterGroup(\(selector)\(rate)\(decay))"
            }
        }
    }
}
