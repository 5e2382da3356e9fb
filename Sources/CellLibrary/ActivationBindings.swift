import Cell
import NN
import Tensor

/// Activations, which cells use three ways: as functions (`relu(x)`), as values passed to layers
/// (`Dense(784, 128, activation: relu)`, or the implicit member `.relu`, or
/// `.leakyRelu(slope: 0.2)`), and as layers (`ReLU()`, or `relu` written inside a Sequential).
enum ActivationBindings {
    static let module = "NN"

    /// The activation functions bound globally, by the name a cell calls.
    static let byFunctionName: [String: Activation] = [
        "relu": .relu, "sigmoid": .sigmoid, "tanh": .tanh, "gelu": .gelu, "softplus": .softplus,
        "softmax": .softmax, "leakyRelu": .leakyRelu(slope: 0.01), "elu": .elu(alpha: 1),
        "identity": .identity,
    ]

    static func install(into registry: Registry) {
        registry.type(
            Activation.self, name: "Activation", kind: .value, module: module,
            doc: """
                A nonlinearity to fuse into a layer: `Dense(784, 128, activation: .relu)`; also \
                callable on a tensor.
                """
        ) { type in
            let simple: [(String, Activation, String)] = [
                ("identity", .identity, "No nonlinearity."),
                ("relu", .relu, "max(x, 0)."),
                ("sigmoid", .sigmoid, "The logistic function."),
                ("tanh", .tanh, "The hyperbolic tangent."),
                ("gelu", .gelu, "The exact (erf) GELU."),
                ("softplus", .softplus, "log(1 + eˣ)."),
                ("softmax", .softmax, "Softmax along the last axis."),
            ]
            for (name, activation, doc) in simple {
                type.staticProperty(name, doc: doc) { [unowned info = type.info] in
                    info.wrap(activation)
                }
            }
            let slope = Param<Float>.labelled("slope", default: 0.01)
            type.staticMethod(
                "leakyRelu", parameters: [slope],
                doc: "x for x > 0, slope·x otherwise: `.leakyRelu(slope: 0.2)`."
            ) { [unowned info = type.info] arguments in
                info.wrap(Activation.leakyRelu(slope: try arguments[slope]))
            }
            let alpha = Param<Float>.labelled("alpha", default: 1, shown: "1")
            type.staticMethod(
                "elu", parameters: [alpha],
                doc: "x for x > 0, alpha·(eˣ − 1) otherwise: `.elu(alpha: 1)`."
            ) { [unowned info = type.info] arguments in
                info.wrap(Activation.elu(alpha: try arguments[alpha]))
            }
            let x = Param<Tensor>.positional("x", as: .floatTensor)
            type.callAsFunction(
                parameters: [x], returns: "Tensor", doc: "Applies the activation to a tensor."
            ) { activation, arguments in
                try arguments.wrap(tensor: activation(try arguments[x]))
            }
            type.property("name", type: "String", doc: "The activation's name.") {
                .string($0.name)
            }
            type.description { $0.name }
        }
        installFunctions(into: registry)
    }

    private static func installFunctions(into registry: Registry) {
        let x = Param<Tensor>.positional(
            "x", as: ArgumentKind<Tensor>.floatTensor.described(type: "Tensor"))
        let plain: [(String, Activation, String)] = [
            ("relu", .relu, "max(x, 0), elementwise. Also an activation: `activation: relu`."),
            ("sigmoid", .sigmoid, "The logistic function, elementwise; also an activation."),
            ("gelu", .gelu, "The exact (erf) GELU, elementwise; also an activation."),
            ("softplus", .softplus, "log(1 + eˣ), elementwise; also an activation."),
            ("tanh", .tanh, "The hyperbolic tangent of each element; also an activation."),
        ]
        for (name, activation, doc) in plain {
            registry.function(
                name, module: module, doc: doc, parameters: [x], returns: "Tensor"
            ) { arguments in
                try arguments.wrap(tensor: activation(try arguments[x]))
            }
        }
        let slope = Param<Float>.labelled("slope", default: 0.01)
        registry.function(
            "leakyRelu", module: module,
            doc: "x for x > 0, slope·x otherwise; also an activation (`activation: leakyRelu`).",
            parameters: [x, slope], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: arguments[x].leakyRelu(slope: try arguments[slope]))
        }
        let alpha = Param<Float>.labelled("alpha", default: 1, shown: "1")
        registry.function(
            "elu", module: module,
            doc: "x for x > 0, alpha·(eˣ − 1) otherwise; also an activation.",
            parameters: [x, alpha], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: arguments[x].elu(alpha: try arguments[alpha]))
        }
        let alongAxis = Param<Int>.labelled("alongAxis", default: -1)
        for (name, doc) in [
            ("softmax", "Softmax along an axis (the last by default); also an activation."),
            ("logSoftmax", "The logarithm of the softmax along an axis, computed stably."),
        ] {
            registry.function(
                name, module: module, doc: doc,
                parameters: [x, alongAxis], returns: "Tensor"
            ) { arguments in
                let input = try arguments[x]
                let axis = try arguments[alongAxis]
                return try arguments.wrap(
                    tensor: name == "softmax"
                        ? input.softmax(alongAxis: axis) : input.logSoftmax(alongAxis: axis))
            }
        }
    }

    // MARK: - Conversion

    /// The activation a value names: nil (none), an `Activation` (`.relu`,
    /// `.leakyRelu(slope: 0.2)`), one of the activation functions (`relu`) or an activation layer
    /// (`ReLU()`).
    ///
    /// - Throws: `CellError.typeMismatch` for anything else, such as a closure.
    static func activation(from value: Value, session: Session) throws -> Activation {
        switch value {
        case .nilValue:
            return .identity
        case .host(let object):
            if let activation = object.payload as? Activation { return activation }
            if let layer = object.payload as? ActivationLayer { return layer.activation }
        case .function(let implicit as ImplicitMember):
            let resolved: Value
            do throws(Failure) {
                resolved = try session.resolveImplicit(implicit, in: "Activation", site: nil)
            } catch {
                throw error.error
            }
            return try activation(from: resolved, session: session)
        case .function(let function as HostFunction):
            if let activation = byFunctionName[function.name] { return activation }
        case .function(let function as OverloadSet):
            if let activation = byFunctionName[function.name] { return activation }
        default:
            break
        }
        throw CellError.typeMismatch(
            "an activation must be one of relu, sigmoid, tanh, gelu, softplus, softmax, "
                + "leakyRelu, elu (or .leakyRelu(slope:), .elu(alpha:)), not \(value.typeName); "
                + "to apply your own function, put a Lambda { x in … } layer after the layer")
    }

    /// The layer applying `activation`, named as PyTorch names it.
    static func layer(for activation: Activation) -> any Layer {
        switch activation {
        case .relu: return ReLU()
        case .sigmoid: return Sigmoid()
        case .tanh: return Tanh()
        case .gelu: return GELU()
        case .softmax: return Softmax()
        case .leakyRelu(let slope): return LeakyReLU(negativeSlope: slope)
        default: return ActivationLayer(activation)
        }
    }
}
