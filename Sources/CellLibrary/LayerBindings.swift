import Cell
import KernelInterface
import NN
import Tensor

/// What every layer offers (the forward pass, parameters, freezing, train/eval, summaries, state
/// dicts, training), plus `Parameter` and `ModelSummary`; the layer types themselves are in
/// `LayerBindings+Types.swift`.
enum LayerBindings {
    static let module = "NN"

    static func install(into registry: Registry) {
        registry.protocol(
            "Layer", requirements: ["callAsFunction(_:)"],
            doc: """
                A building block of a model. A struct that conforms to it trains like a library \
                layer: its stored layers and `Parameter`s are its parameters.

                ```swift
                struct Residual: Layer {
                    var inner = Dense(128, 128, activation: relu)
                    func callAsFunction(_ x) { x + inner(x) }
                }
                ```
                """)
        installParameter(into: registry)
        installSummary(into: registry)
        installTypes(into: registry)
        ModelFileBindings.install(into: registry)
    }

    // MARK: - Common members

    /// Declares the members every layer has on a layer type.
    static func installCommonMembers<L: Layer>(_ type: TypeBuilder<L>, _ registry: Registry) {
        let input = Param<Tensor>.positional("input", as: .tensor)
        type.callAsFunction(
            parameters: [input], returns: "Tensor",
            doc: "Applies the layer to a tensor (the forward pass): `model(x)`."
        ) { layer, arguments in
            let input = try arguments[input]
            let converted = layer is Embedding ? input : try TensorConversion.float(input)
            return try arguments.wrap(tensor: layer(converted))
        }
        type.property(
            "parameters", type: "[Parameter]",
            doc: "Every parameter of the layer and its children, each once."
        ) { [unowned registry] layer in
            .array(try layer.parameters.map { try registry.value(wrapping: $0) })
        }
        type.method(
            "namedParameters", returns: "[String: Parameter]",
            doc: "Every parameter by its dotted PyTorch name (`1.weight`), in order."
        ) { layer, arguments in
            var dictionary = DictionaryValue()
            for (name, parameter) in layer.namedParameters() {
                dictionary[.string(name)] = try arguments.session.wrap(parameter)
            }
            return .dictionary(dictionary)
        }
        type.property(
            "parameterCount", type: "Int", doc: "The number of parameter elements."
        ) { .int($0.parameterCount) }
        type.property(
            "trainableParameterCount", type: "Int",
            doc: "The number of parameter elements optimizers update (not frozen)."
        ) { .int($0.trainableParameterCount) }
        type.method(
            "freeze", doc: "Freezes every parameter (transfer learning): `model[0].freeze()`."
        ) {
            layer, _ in
            layer.freeze()
            return .void
        }
        type.method("unfreeze", doc: "Unfreezes every parameter.") { layer, _ in
            layer.unfreeze()
            return .void
        }
        type.property("isFrozen", type: "Bool", doc: "Whether every parameter is frozen.") {
            .bool($0.isFrozen)
        }
        type.method("train", doc: "Training mode for the layer and its children (dropout on).") {
            layer, _ in
            layer.train()
            return .void
        }
        type.method(
            "eval",
            doc: "Evaluation mode for the layer and its children (dropout off, running statistics)."
        ) { layer, _ in
            layer.eval()
            return .void
        }
        type.property(
            "isTraining", type: "Bool", doc: "Whether the layer is in training mode.",
            get: { .bool($0.isTraining) },
            set: { layer, newValue in
                guard case .bool(let training) = newValue else {
                    throw CellError.typeMismatch("isTraining must be a Bool")
                }
                layer.setTraining(training)
            })
        type.method(
            "regularizationLoss", returns: "Tensor",
            doc: "The sum of the penalties of the layers' regularizers (0 without any)."
        ) { layer, arguments in
            try arguments.wrap(tensor: layer.regularizationLoss())
        }
        let inputShape = Param<[Int]?>.labelled(
            "inputShape", as: ArgumentKind<[Int]>.shape.optional.described(type: "[Int]?"),
            default: .nilValue)
        type.method(
            "summary", parameters: [inputShape],
            returns: "ModelSummary",
            doc: """
                A table of the layers with their output shapes and parameter counts: \
                `model.summary()`, `model.summary(inputShape: [1, 1, 28, 28])`.
                """
        ) { layer, arguments in
            let shape = try arguments[inputShape]
            return try arguments.session.wrap(
                try layer.summary(inputShape: shape ?? inferredInputShape(of: layer)))
        }
        type.property("typeName", type: "String", doc: "The layer's type name.") {
            .string($0.typeName)
        }
        type.description { describe($0) }
        type.summary { layer in
            "\(layer.typeName), \(layer.parameterCount) parameters"
        }
        type.byteCount { $0.parameterCount * 4 }
        StateBindings.installLayerMembers(type, registry)
        ModelFileBindings.installLayerMembers(type)
        TransferBindings.installLayerMembers(type)
        PruningBindings.installLayerMembers(type)
    }

    /// An input shape (batch of 1) for a summary when the model starts, after shape-agnostic
    /// layers, with a Dense layer: `[1, inputSize]`.
    static func inferredInputShape(of layer: any Layer) -> [Int]? {
        var first: any Layer = layer
        while let sequential = first as? Sequential {
            var found: (any Layer)?
            for child in sequential.layers {
                if child is Flatten || child is ActivationLayer || child is Dropout { continue }
                found = child
                break
            }
            guard let found else { return nil }
            first = found
        }
        if let dense = first as? Dense { return [1, dense.inputSize] }
        return nil
    }

    /// `Dense(784 → 128, relu)`; a Sequential lists its layers, one per line.
    static func describe(_ layer: any Layer) -> String {
        if let sequential = layer as? Sequential {
            guard !sequential.layers.isEmpty else { return "Sequential()" }
            let lines = sequential.layers.enumerated().map { index, child in
                "  (\(index)): " + describe(child).replacingOccurrences(of: "\n", with: "\n  ")
            }
            return "Sequential(\n" + lines.joined(separator: "\n") + "\n)"
        }
        return "\(layer.typeName)(\(layer.configurationSummary))"
    }

    // MARK: - Parameter

    private static func installParameter(into registry: Registry) {
        registry.type(
            NN.Parameter.self, name: "Parameter", kind: .reference, module: module,
            doc: """
                A trainable tensor shared by a layer, its optimizer and its gradients. Store one \
                in a user layer to train it: `var w = Parameter(Tensor.normal([4, 4]))`, then \
                use `w.value`.
                """
        ) { type in
            let value = Param<Tensor>.positional("value", as: .floatTensor)
            let group = Param<String?>.optional("group")
            type.initializer(
                parameters: [value, group],
                doc: "A parameter holding a Float32 tensor, with an optional group name."
            ) { arguments in
                try arguments.session.wrap(
                    try NN.Parameter(try arguments[value], group: try arguments[group]))
            }
            type.property(
                "value", type: "Tensor", doc: "The current value (assignable, same shape).",
                get: { [unowned registry] parameter in try registry.value(wrapping: parameter.value)
                },
                set: { parameter, newValue in
                    try parameter.assign(try TensorConversion.tensor(from: newValue))
                })
            type.property(
                "gradient", type: "Tensor?",
                doc: "The gradient from the last valueWithGradient(of:), or nil."
            ) { [unowned registry] parameter in
                try parameter.gradient.map { try registry.value(wrapping: $0) } ?? .nilValue
            }
            type.property("shape", type: "[Int]", doc: "The value's shape.") {
                .array($0.shape.map(Value.int))
            }
            type.property("count", type: "Int", doc: "The number of elements.") {
                .int($0.elementCount)
            }
            type.property(
                "isFrozen", type: "Bool", doc: "Whether optimizers leave it alone (assignable).",
                get: { .bool($0.isFrozen) },
                set: { parameter, newValue in
                    guard case .bool(let frozen) = newValue else {
                        throw CellError.typeMismatch("isFrozen must be a Bool")
                    }
                    parameter.isFrozen = frozen
                })
            type.property(
                "group", type: "String?", doc: "The group name optimizers may select (assignable).",
                get: { $0.group.map(Value.string) ?? .nilValue },
                set: { parameter, newValue in
                    parameter.group = newValue.isNil ? nil : newValue.stringText
                })
            type.property("sparsity", type: "Double", doc: "The share of pruned entries.") {
                .float32($0.sparsity)
            }
            type.description { $0.description }
        }
    }

    // MARK: - ModelSummary

    private static func installSummary(into registry: Registry) {
        registry.type(
            ModelSummary.self, name: "ModelSummary", kind: .value, module: module,
            doc: "A model's layers with their output shapes and parameter counts."
        ) { type in
            type.property("parameterCount", type: "Int", doc: "All parameter elements.") {
                .int($0.parameterCount)
            }
            type.property(
                "trainableParameterCount", type: "Int", doc: "Parameter elements not frozen."
            ) { .int($0.trainableParameterCount) }
            type.property(
                "outputShape", type: "[Int]?", doc: "The model's output shape, if traced."
            ) {
                $0.outputShape.map { .array($0.map(Value.int)) } ?? .nilValue
            }
            type.description { $0.description }
        }
    }
}
