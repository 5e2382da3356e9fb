import Tensor

/// Makes a layer from its description; what `LayerArchitecture.build(customLayers:)` calls for a
/// type it does not know (a layer defined in the cell language, for example).
public typealias LayerBuilderFunction = (LayerArchitecture) throws -> any Layer

extension LayerArchitecture {
    /// A freshly initialised layer (with children) of this description. Built-in types are
    /// rebuilt directly; other types are looked up in `customLayers`.
    ///
    /// ```swift
    /// let copy = try model.architecture().build()
    /// try copy.load(stateDict: model.stateDict())
    /// ```
    ///
    /// - Throws: `NNError.invalidArchitecture` naming the type and the option at fault.
    public func build(customLayers: [String: LayerBuilderFunction] = [:]) throws -> any Layer {
        if let custom = customLayers[type] { return try custom(self) }
        switch type {
        case "Sequential":
            return Sequential(try children.map { try $0.build(customLayers: customLayers) })
        case "Dense": return try buildDense()
        case "Conv2D": return try buildConv2D()
        case "Flatten": return Flatten(startAxis: try int("startAxis", default: 1))
        case "MaxPool2D":
            return MaxPool2D(
                try size("kernelSize"), stride: options["stride"] == nil ? nil : try size("stride"),
                padding: try size("padding", default: 0))
        case "AvgPool2D":
            return AvgPool2D(
                try size("kernelSize"), stride: options["stride"] == nil ? nil : try size("stride"),
                padding: try size("padding", default: 0))
        case "GlobalAvgPool": return GlobalAvgPool()
        case "Dropout": return try Dropout(try float("probability"))
        case "BatchNorm":
            return try BatchNorm(
                try int("featureCount"),
                momentum: options["momentum"] == nil ? nil : try float("momentum"),
                epsilon: try float("epsilon", default: 1e-5),
                affine: try bool("affine", default: true))
        case "LayerNorm":
            return try LayerNorm(
                try ints("normalizedShape"), epsilon: try float("epsilon", default: 1e-5),
                elementwiseAffine: try bool("elementwiseAffine", default: true))
        case "Embedding": return try Embedding(try int("count"), try int("dimension"))
        case "Activation", "ReLU", "Sigmoid", "Tanh", "GELU", "LeakyReLU", "Softmax":
            return try buildActivationLayer()
        default:
            if let registered = LayerBuilderRegistry.builder(for: type) {
                return try registered(self)
            }
            throw NNError.invalidArchitecture(
                "unknown layer type '\(type)'; pass a builder for it in customLayers")
        }
    }

    private func buildDense() throws -> Dense {
        try Dense(
            try int("inputSize"), try int("outputSize"), activation: try activation(),
            useBias: try bool("useBias", default: true), regularizer: try regularizer())
    }

    private func buildConv2D() throws -> Conv2D {
        let paddingName = try string("padding", default: "valid")
        guard let padding = Padding(named: paddingName) else {
            throw NNError.invalidArchitecture("\(type): unknown padding '\(paddingName)'")
        }
        return try Conv2D(
            try int("inputChannels"), try int("outputChannels"), kernelSize: try size("kernelSize"),
            stride: try size("stride", default: 1), padding: padding,
            dilation: try size("dilation", default: 1), activation: try activation(),
            useBias: try bool("useBias", default: true), regularizer: try regularizer())
    }

    private func buildActivationLayer() throws -> ActivationLayer {
        let implied: [String: Activation] = [
            "ReLU": .relu, "Sigmoid": .sigmoid, "Tanh": .tanh, "GELU": .gelu,
            "Softmax": .softmax, "LeakyReLU": .leakyRelu(slope: 0.01),
        ]
        let function = options["activation"] == nil ? implied[type] ?? .identity : try activation()
        switch (type, function) {
        case ("ReLU", .relu): return ReLU()
        case ("Sigmoid", .sigmoid): return Sigmoid()
        case ("Tanh", .tanh): return Tanh()
        case ("GELU", .gelu): return GELU()
        case ("Softmax", .softmax): return Softmax()
        case ("LeakyReLU", .leakyRelu(let slope)): return LeakyReLU(negativeSlope: slope)
        case ("Activation", _): return ActivationLayer(function)
        default:
            throw NNError.invalidArchitecture(
                "\(type) cannot have the activation '\(function.name)'")
        }
    }
}

// MARK: - Reading options

extension LayerArchitecture {
    private func missing(_ name: String, _ expected: String) -> NNError {
        .invalidArchitecture("\(type): option '\(name)' must be \(expected)")
    }

    private func int(_ name: String, default fallback: Int? = nil) throws -> Int {
        switch options[name] {
        case .int(let value): return value
        case nil:
            guard let fallback else { throw missing(name, "an integer") }
            return fallback
        default: throw missing(name, "an integer")
        }
    }

    private func float(_ name: String, default fallback: Float? = nil) throws -> Float {
        switch options[name] {
        case .number(let value): return Float(value)
        case .int(let value): return Float(value)
        case nil:
            guard let fallback else { throw missing(name, "a number") }
            return fallback
        default: throw missing(name, "a number")
        }
    }

    private func bool(_ name: String, default fallback: Bool) throws -> Bool {
        switch options[name] {
        case .bool(let value): return value
        case nil: return fallback
        default: throw missing(name, "true or false")
        }
    }

    private func string(_ name: String, default fallback: String? = nil) throws -> String {
        switch options[name] {
        case .string(let value): return value
        case nil:
            guard let fallback else { throw missing(name, "a string") }
            return fallback
        default: throw missing(name, "a string")
        }
    }

    private func ints(_ name: String) throws -> [Int] {
        switch options[name] {
        case .ints(let values): return values
        case .int(let value): return [value]
        default: throw missing(name, "a list of integers")
        }
    }

    private func size(_ name: String, default fallback: Size2D? = nil) throws -> Size2D {
        if options[name] == nil, let fallback { return fallback }
        let values = try ints(name)
        switch values.count {
        case 1: return Size2D(values[0])
        case 2: return Size2D(height: values[0], width: values[1])
        default: throw missing(name, "one or two integers")
        }
    }

    private func activation() throws -> Activation {
        let name = try string("activation", default: "identity")
        guard let activation = Activation(named: name) else {
            throw NNError.invalidArchitecture("\(type): unknown activation '\(name)'")
        }
        return activation
    }

    private func regularizer() throws -> Regularizer? {
        guard options["regularizer"] != nil else { return nil }
        let name = try string("regularizer")
        guard let regularizer = Regularizer(named: name) else {
            throw NNError.invalidArchitecture("\(type): unknown regularizer '\(name)'")
        }
        return regularizer
    }
}
