import Cell
import NN
import Tensor

/// Optimizers (`SGD`, `Adam`, `AdamW`, `RMSProp`, `Adagrad`, `Adadelta`, `Lion`) with PyTorch's
/// hyperparameter names and defaults, parameter groups with their own learning rates, gradient
/// clipping, and `opt.update(model, along: grads)`.
enum OptimizerBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        installParameterGroup(into: registry)
        let learningRate = { (value: Float) in Param<Float>.labelled("learningRate", default: value)
        }
        let weightDecay = { (value: Float) in Param<Float>.labelled("weightDecay", default: value) }
        let number = { (label: String, value: Float) in Param<Float>.labelled(label, default: value)
        }
        let flag = { (label: String) in Param<Bool>.labelled(label, default: false) }
        do {
            let (lr, momentum, dampening) = (
                learningRate(0.01), number("momentum", 0), number("dampening", 0)
            )
            let (nesterov, decay) = (flag("nesterov"), weightDecay(0))
            optimizerType(
                SGD.self, "SGD", registry,
                doc: """
                    Stochastic gradient descent with momentum, dampening and Nesterov momentum \
                    (Sutskever et al., 2013), as PyTorch's: `SGD(learningRate: 0.1, momentum: 0.9)`.
                    """,
                parameters: [lr, momentum, dampening, nesterov, decay]
            ) { a in
                try SGD(
                    learningRate: a[lr], momentum: a[momentum], dampening: a[dampening],
                    nesterov: a[nesterov], weightDecay: a[decay])
            }
        }
        for (name, decayDefault) in [("Adam", Float(0)), ("AdamW", Float(0.01))] {
            let (lr, beta1, beta2) = (
                learningRate(1e-3), number("beta1", 0.9), number("beta2", 0.999)
            )
            let (epsilon, decay, amsgrad) = (
                number("epsilon", 1e-8), weightDecay(decayDefault), flag("amsgrad")
            )
            let parameters: [any ParameterDeclaration] = [
                lr, beta1, beta2, epsilon, decay, amsgrad,
            ]
            if name == "Adam" {
                optimizerType(
                    Adam.self, "Adam", registry,
                    doc: """
                        Adam (Kingma & Ba, 2015), with the AMSGrad option (Reddi et al., 2018): \
                        `Adam(learningRate: 1e-3)`.
                        """,
                    parameters: parameters
                ) { a in
                    try Adam(
                        learningRate: a[lr], beta1: a[beta1], beta2: a[beta2],
                        epsilon: a[epsilon], weightDecay: a[decay], amsgrad: a[amsgrad])
                }
            } else {
                optimizerType(
                    AdamW.self, "AdamW", registry,
                    doc:
                        "Adam with decoupled weight decay (Loshchilov & Hutter, 2019): `AdamW(weightDecay: 0.01)`.",
                    parameters: parameters
                ) { a in
                    try AdamW(
                        learningRate: a[lr], beta1: a[beta1], beta2: a[beta2],
                        epsilon: a[epsilon], weightDecay: a[decay], amsgrad: a[amsgrad])
                }
            }
        }
        do {
            let (lr, alpha, epsilon) = (
                learningRate(0.01), number("alpha", 0.99), number("epsilon", 1e-8)
            )
            let (momentum, centered, decay) = (
                number("momentum", 0), flag("centered"), weightDecay(0)
            )
            optimizerType(
                RMSProp.self, "RMSProp", registry,
                doc: "RMSProp (Hinton, 2012), optionally centered and with momentum.",
                parameters: [lr, alpha, epsilon, momentum, centered, decay]
            ) { a in
                try RMSProp(
                    learningRate: a[lr], alpha: a[alpha], epsilon: a[epsilon],
                    momentum: a[momentum], centered: a[centered], weightDecay: a[decay])
            }
        }
        do {
            let (lr, lrDecay, epsilon) = (
                learningRate(0.01), number("learningRateDecay", 0), number("epsilon", 1e-10)
            )
            let (initial, decay) = (number("initialAccumulatorValue", 0), weightDecay(0))
            optimizerType(
                Adagrad.self, "Adagrad", registry, doc: "Adagrad (Duchi et al., 2011).",
                parameters: [lr, lrDecay, epsilon, initial, decay]
            ) { a in
                try Adagrad(
                    learningRate: a[lr], learningRateDecay: a[lrDecay], epsilon: a[epsilon],
                    initialAccumulatorValue: a[initial], weightDecay: a[decay])
            }
        }
        do {
            let (lr, rho, epsilon, decay) = (
                learningRate(1), number("rho", 0.9), number("epsilon", 1e-6), weightDecay(0)
            )
            optimizerType(
                Adadelta.self, "Adadelta", registry, doc: "Adadelta (Zeiler, 2012).",
                parameters: [lr, rho, epsilon, decay]
            ) { a in
                try Adadelta(
                    learningRate: a[lr], rho: a[rho], epsilon: a[epsilon], weightDecay: a[decay])
            }
        }
        do {
            let (lr, beta1, beta2, decay) = (
                learningRate(1e-4), number("beta1", 0.9), number("beta2", 0.99), weightDecay(0)
            )
            optimizerType(
                Lion.self, "Lion", registry,
                doc: "Lion, the evolved sign momentum (Chen et al., 2023).",
                parameters: [lr, beta1, beta2, decay]
            ) { a in
                try Lion(
                    learningRate: a[lr], beta1: a[beta1], beta2: a[beta2], weightDecay: a[decay])
            }
        }
    }

    /// The options every optimizer takes after its own hyperparameters.
    private struct CommonParameters {
        let clipNorm = Param<Float?>.optional("clipNorm")
        let clipValue = Param<Float?>.optional("clipValue")
        let groups = Param<[Value]>.labelled(
            "groups", as: [Value].argumentKind.described(type: "[ParameterGroup]"),
            default: .array([]))

        var all: [any ParameterDeclaration] { [clipNorm, clipValue, groups] }
    }

    /// Registers an optimizer type: its initializer (own hyperparameters, then clipping and
    /// groups) and the members all optimizers share.
    private static func optimizerType<O: Optimizer>(
        _ swiftType: O.Type, _ name: String, _ registry: Registry, doc: String,
        parameters: [any ParameterDeclaration], make: @escaping (Arguments) throws -> O
    ) {
        registry.type(
            swiftType, name: name, kind: .reference, module: module, doc: doc,
            conformances: ["Optimizer"]
        ) { type in
            let common = CommonParameters()
            type.initializer(parameters: parameters + common.all, doc: doc) { arguments in
                let optimizer = try make(arguments)
                try configure(optimizer, arguments, common)
                return try arguments.session.wrap(optimizer)
            }
            installCommonMembers(type, registry)
        }
    }

    /// Applies `clipNorm`, `clipValue` and `groups`.
    private static func configure(
        _ optimizer: any Optimizer, _ arguments: Arguments, _ common: CommonParameters
    ) throws {
        let norm = try arguments[common.clipNorm]
        let value = try arguments[common.clipValue]
        if norm != nil, value != nil {
            throw CellError.badArguments("give clipNorm or clipValue, not both")
        }
        optimizer.clipping = norm.map { .globalNorm($0) } ?? value.map { .value($0) }
        optimizer.parameterGroups = try arguments[common.groups].enumerated().map {
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
        let model = Param<any Layer>.positional("model", as: .layer)
        let along = Param<Gradients>.labelled(
            "along", as: Gradients.argumentKind.described(type: nil))
        type.method(
            "update", parameters: [model, along],
            doc: """
                Applies one step to the model's trainable parameters from gradients taken by \
                `valueWithGradient(of:)`: `opt.update(model, along: grads)`.
                """
        ) { optimizer, arguments in
            let gradients = try arguments[along]
            try optimizer.update(try arguments[model], along: gradients)
            return .void
        }
        type.property(
            "learningRate", type: "Double", doc: "The current learning rate (assignable).",
            get: { .float32($0.learningRate) },
            set: { optimizer, newValue in
                optimizer.learningRate = try positive(newValue, "learningRate")
            })
        type.property(
            "weightDecay", type: "Double", doc: "The weight decay (assignable).",
            get: { .float32($0.weightDecay) },
            set: { optimizer, newValue in
                optimizer.weightDecay = try positive(newValue, "weightDecay")
            })
        type.property(
            "initialLearningRate", type: "Double", doc: "The learning rate it was made with."
        ) { .float32($0.initialLearningRate) }
        type.property("stepCount", type: "Int", doc: "The number of updates made so far.") {
            .int($0.stepCount)
        }
        type.property(
            "hyperparameters", type: "[String: Double]", doc: "The hyperparameters by name."
        ) { optimizer in
            var dictionary = DictionaryValue()
            for (name, value) in optimizer.hyperparameters {
                dictionary[.string(name)] = .float32(value)
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
                let selector = Param<String>.labelled(label)
                let learningRate = Param<Float?>.optional("learningRate")
                let weightDecay = Param<Float?>.optional("weightDecay")
                type.initializer(
                    parameters: [selector, learningRate, weightDecay],
                    doc: label == "prefix"
                        ? "The parameters whose dotted name starts with `prefix` (\"0\" selects 0.weight)."
                        : "The parameters whose `group` is this name."
                ) { arguments in
                    let name = try arguments[selector]
                    let rate = try arguments[learningRate]
                    let decay = try arguments[weightDecay]
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
