import Cell
import NN
import Tensor

/// The library's layer types, each with its initializer (labels as in PyTorch and Keras) and
/// its own properties; the members all layers share come from `installCommonMembers`.
extension LayerBindings {
    /// Registers a layer type and gives it the common layer members.
    static func layerType<L: Layer>(
        _ swiftType: L.Type, _ name: String, _ registry: Registry, doc: String,
        _ build: (TypeBuilder<L>) -> Void
    ) {
        registry.type(
            swiftType, name: name, kind: .reference, module: module, doc: doc,
            conformances: ["Layer"]
        ) { type in
            build(type)
            installCommonMembers(type, registry)
        }
    }

    /// The parameters shared by Dense and Conv2D after their sizes.
    struct WeightedOptions {
        let activation = Param<Value?>.labelled(
            "activation", as: Value?.argumentKind.described(type: "((Tensor) -> Tensor)?"),
            default: .nilValue, shown: "identity")
        let useBias = Param<Bool>.labelled("useBias", default: true)
        let weightInitializer = Param<Initializer?>.labelled(
            "weightInitializer", defaultValue: .nilValue, shown: ".pytorchDefault")
        let biasInitializer = Param<Initializer?>.labelled(
            "biasInitializer", defaultValue: .nilValue, shown: ".pytorchDefault")
        let regularizer = Param<Regularizer?>.optional("regularizer")
        let seed = Param<UInt64?>.labelled("seed", as: .seed, default: .nilValue)

        var all: [any ParameterDeclaration] {
            [activation, useBias, weightInitializer, biasInitializer, regularizer, seed]
        }

        /// The options as given in `arguments`.
        func read(_ arguments: Arguments) throws -> (
            activation: Activation, useBias: Bool, weight: Initializer, bias: Initializer,
            regularizer: Regularizer?, seed: UInt64?
        ) {
            (
                try ActivationBindings.activation(
                    from: arguments[activation] ?? .nilValue, session: arguments.session),
                try arguments[useBias],
                try arguments[weightInitializer] ?? .pytorchDefault,
                try arguments[biasInitializer] ?? .pytorchDefault,
                try arguments[regularizer],
                try arguments[seed]
            )
        }
    }

    static func installTypes(into registry: Registry) {
        installDense(into: registry)
        installConvolution(into: registry)
        installShapeLayers(into: registry)
        installNormalization(into: registry)
        installActivationLayers(into: registry)
        ClosureLayer.install(into: registry)
    }

    private static func installDense(into registry: Registry) {
        layerType(
            Dense.self, "Dense", registry,
            doc: """
                A fully connected layer, y = activation(x·Wᵀ + b), with the weight [out, in] as \
                PyTorch's Linear: `Dense(784, 128, activation: relu)`.
                """
        ) { type in
            let inputSize = Param<Int>.positional("inputSize")
            let outputSize = Param<Int>.positional("outputSize")
            let options = WeightedOptions()
            type.initializer(
                parameters: [inputSize, outputSize] + options.all,
                doc: """
                    A dense layer from `inputSize` to `outputSize` features, with an optional \
                    fused activation (`relu`, `.relu`), initialisers, a weight regularizer \
                    (`.l2(1e-4)`) and an initialisation seed.
                    """
            ) { arguments in
                let options = try options.read(arguments)
                return try arguments.session.wrap(
                    try Dense(
                        try arguments[inputSize], try arguments[outputSize],
                        activation: options.activation,
                        useBias: options.useBias, weightInitializer: options.weight,
                        biasInitializer: options.bias, regularizer: options.regularizer,
                        seed: options.seed))
            }
            installWeights(type, registry, weight: { $0.weight }, bias: { $0.bias })
            type.property("inputSize", type: "Int", doc: "The number of input features.") {
                .int($0.inputSize)
            }
            type.property("outputSize", type: "Int", doc: "The number of output features.") {
                .int($0.outputSize)
            }
            installActivationProperty(
                type, registry, get: { $0.activation }, set: { $0.activation = $1 })
            installRegularizerProperty(
                type, registry, get: { $0.regularizer }, set: { $0.regularizer = $1 })
        }
    }

    private static func installConvolution(into registry: Registry) {
        layerType(
            Conv2D.self, "Conv2D", registry,
            doc: """
                A 2-D convolution over NCHW images, weight [out, in, kh, kw] as PyTorch's \
                Conv2d: `Conv2D(1, 32, kernelSize: 3, padding: .same, activation: relu)`.
                """
        ) { type in
            let inputChannels = Param<Int>.positional("inputChannels")
            let outputChannels = Param<Int>.positional("outputChannels")
            let kernelSize = Param<Size2D>.labelled("kernelSize", as: .size2D)
            let stride = Param<Size2D>.labelled("stride", as: .size2D, default: .int(1))
            let padding = Param<Padding?>.labelled(
                "padding", defaultValue: .nilValue, shown: ".valid")
            let dilation = Param<Size2D>.labelled("dilation", as: .size2D, default: .int(1))
            let options = WeightedOptions()
            type.initializer(
                parameters: [inputChannels, outputChannels, kernelSize, stride, padding, dilation]
                    + options.all,
                doc: """
                    A convolution from `inputChannels` to `outputChannels` with a square (Int) \
                    or (height, width) kernel; padding `.valid`, `.same` or `.explicit(1)`.
                    """
            ) { arguments in
                let options = try options.read(arguments)
                return try arguments.session.wrap(
                    try Conv2D(
                        try arguments[inputChannels], try arguments[outputChannels],
                        kernelSize: try arguments[kernelSize], stride: try arguments[stride],
                        padding: try arguments[padding] ?? .valid,
                        dilation: try arguments[dilation],
                        activation: options.activation, useBias: options.useBias,
                        weightInitializer: options.weight, biasInitializer: options.bias,
                        regularizer: options.regularizer, seed: options.seed))
            }
            installWeights(type, registry, weight: { $0.weight }, bias: { $0.bias })
            type.property("inputChannels", type: "Int", doc: "Channels of the input.") {
                .int($0.inputChannels)
            }
            type.property("outputChannels", type: "Int", doc: "The number of filters.") {
                .int($0.outputChannels)
            }
            installActivationProperty(
                type, registry, get: { $0.activation }, set: { $0.activation = $1 })
            installRegularizerProperty(
                type, registry, get: { $0.regularizer }, set: { $0.regularizer = $1 })
        }
        PaddingBindings.install(into: registry)
        let pooling = PoolingParameters()
        let maxDoc = "Takes the maximum of each window of NCHW images: `MaxPool2D(2)`."
        layerType(MaxPool2D.self, "MaxPool2D", registry, doc: maxDoc) { type in
            type.initializer(parameters: pooling.all, doc: maxDoc) { arguments in
                let (kernel, stride, padding) = try pooling.read(arguments)
                return try arguments.session.wrap(
                    MaxPool2D(kernel, stride: stride, padding: padding))
            }
        }
        let averageDoc = "Takes the average of each window of NCHW images: `AvgPool2D(2)`."
        layerType(AvgPool2D.self, "AvgPool2D", registry, doc: averageDoc) { type in
            type.initializer(parameters: pooling.all, doc: averageDoc) { arguments in
                let (kernel, stride, padding) = try pooling.read(arguments)
                return try arguments.session.wrap(
                    AvgPool2D(kernel, stride: stride, padding: padding))
            }
        }
        layerType(
            GlobalAvgPool.self, "GlobalAvgPool", registry,
            doc: "Averages each channel over height and width: [N, C, H, W] → [N, C]."
        ) { type in
            type.initializer(parameters: [], doc: "A global average pooling layer.") { arguments in
                try arguments.session.wrap(GlobalAvgPool())
            }
        }
    }

    /// The parameters of MaxPool2D and AvgPool2D.
    private struct PoolingParameters {
        let kernelSize = Param<Size2D>.positional("kernelSize", as: .size2D)
        let stride = Param<Size2D?>.labelled(
            "stride", as: ArgumentKind<Size2D>.size2D.optional, default: .nilValue)
        let padding = Param<Size2D>.labelled("padding", as: .size2D, default: .int(0))

        var all: [any ParameterDeclaration] { [kernelSize, stride, padding] }

        func read(_ arguments: Arguments) throws -> (Size2D, Size2D?, Size2D) {
            (try arguments[kernelSize], try arguments[stride], try arguments[padding])
        }
    }

    private static func installShapeLayers(into registry: Registry) {
        layerType(
            Flatten.self, "Flatten", registry,
            doc: "Flattens each example into a vector: [N, 1, 28, 28] → [N, 784]."
        ) { type in
            let startAxis = Param<Int>.labelled("startAxis", default: 1)
            type.initializer(
                parameters: [startAxis],
                doc: "A flattening layer keeping the axes before `startAxis` (the batch axis)."
            ) { arguments in
                try arguments.session.wrap(Flatten(startAxis: try arguments[startAxis]))
            }
        }
        layerType(
            Dropout.self, "Dropout", registry,
            doc: """
                Zeroes each element with probability p in training (scaling the rest by \
                1/(1−p)), nothing in evaluation: `Dropout(0.5)` (Srivastava et al., 2014).
                """
        ) { type in
            let probability = Param<Float>.positional("probability", default: 0.5)
            let seed = Param<UInt64?>.labelled("seed", as: .seed, default: .nilValue)
            type.initializer(
                parameters: [probability, seed],
                doc: "A dropout layer; its masks come from the seeded generator."
            ) { arguments in
                try arguments.session.wrap(
                    try Dropout(try arguments[probability], seed: try arguments[seed]))
            }
            type.property("probability", type: "Double", doc: "The drop probability.") {
                .float32($0.probability)
            }
        }
        layerType(
            Embedding.self, "Embedding", registry,
            doc: "A table of vectors looked up by index: `Embedding(1000, 64)`."
        ) { type in
            let count = Param<Int>.positional("count")
            let dimension = Param<Int>.positional("dimension")
            let seed = Param<UInt64?>.labelled("seed", as: .seed, default: .nilValue)
            type.initializer(
                parameters: [count, dimension, seed],
                doc: "`count` vectors of length `dimension`, initialised N(0, 1)."
            ) { arguments in
                try arguments.session.wrap(
                    try Embedding(
                        try arguments[count], try arguments[dimension], seed: try arguments[seed]))
            }
            installWeights(type, registry, weight: { $0.weight }, bias: { _ in nil })
        }
    }

    private static func installNormalization(into registry: Registry) {
        layerType(
            BatchNorm.self, "BatchNorm", registry,
            doc: """
                Batch normalization over axis 1 (Ioffe & Szegedy, 2015), with PyTorch's running \
                statistics: `BatchNorm(32)`.
                """
        ) { type in
            let featureCount = Param<Int>.positional("featureCount")
            let momentum = Param<Float?>.labelled("momentum", default: 0.1)
            let epsilon = Param<Float>.labelled("epsilon", default: 1e-5)
            let affine = Param<Bool>.labelled("affine", default: true)
            type.initializer(
                parameters: [featureCount, momentum, epsilon, affine],
                doc: "Normalizes `featureCount` channels; `momentum: nil` is a cumulative average."
            ) { arguments in
                try arguments.session.wrap(
                    try BatchNorm(
                        try arguments[featureCount], momentum: try arguments[momentum],
                        epsilon: try arguments[epsilon], affine: try arguments[affine]))
            }
            installWeights(type, registry, weight: { $0.weight }, bias: { $0.bias })
        }
        layerType(
            LayerNorm.self, "LayerNorm", registry,
            doc: "Layer normalization over the last axes (Ba et al., 2016): `LayerNorm([128])`."
        ) { type in
            let normalizedShape = Param<[Int]>.positional("normalizedShape", as: .shape)
            let epsilon = Param<Float>.labelled("epsilon", default: 1e-5)
            let elementwiseAffine = Param<Bool>.labelled("elementwiseAffine", default: true)
            type.initializer(
                parameters: [normalizedShape, epsilon, elementwiseAffine],
                doc: "Normalizes over the trailing axes of `normalizedShape` (an Int or [Int])."
            ) { arguments in
                try arguments.session.wrap(
                    try LayerNorm(
                        try arguments[normalizedShape], epsilon: try arguments[epsilon],
                        elementwiseAffine: try arguments[elementwiseAffine]))
            }
            installWeights(type, registry, weight: { $0.weight }, bias: { $0.bias })
        }
    }

    private static func installActivationLayers(into registry: Registry) {
        simpleLayer(ReLU.self, "ReLU", registry, doc: "max(x, 0) as a layer, like torch.nn.ReLU.") {
            ReLU()
        }
        simpleLayer(Sigmoid.self, "Sigmoid", registry, doc: "The logistic function as a layer.") {
            Sigmoid()
        }
        simpleLayer(Tanh.self, "Tanh", registry, doc: "The hyperbolic tangent as a layer.") {
            Tanh()
        }
        simpleLayer(
            GELU.self, "GELU", registry,
            doc: "The exact GELU as a layer (Hendrycks & Gimpel, 2016)."
        ) { GELU() }
        simpleLayer(
            Softmax.self, "Softmax", registry, doc: "Softmax along the last axis as a layer."
        ) {
            Softmax()
        }
        layerType(
            LeakyReLU.self, "LeakyReLU", registry,
            doc: "The leaky ReLU as a layer: `LeakyReLU(0.2)`."
        ) { type in
            let negativeSlope = Param<Float>.positional("negativeSlope", default: 0.01)
            type.initializer(
                parameters: [negativeSlope], doc: "A leaky ReLU with the given negative slope."
            ) { arguments in
                try arguments.session.wrap(LeakyReLU(negativeSlope: try arguments[negativeSlope]))
            }
        }
        layerType(
            ActivationLayer.self, "ActivationLayer", registry,
            doc: "Any activation as a layer: `ActivationLayer(.elu(alpha: 1))`."
        ) { type in
            let activation = Param<Value>.positional(
                "activation", as: Value.argumentKind.described(type: "((Tensor) -> Tensor)?"))
            type.initializer(parameters: [activation], doc: "A layer applying `activation`.") {
                arguments in
                try arguments.session.wrap(
                    ActivationLayer(
                        try ActivationBindings.activation(
                            from: arguments[activation], session: arguments.session)))
            }
        }
    }

    /// A layer type whose initializer takes no arguments.
    private static func simpleLayer<L: Layer>(
        _ swiftType: L.Type, _ name: String, _ registry: Registry, doc: String,
        _ make: @escaping () -> L
    ) {
        layerType(swiftType, name, registry, doc: doc) { type in
            type.initializer(parameters: [], doc: doc) { arguments in
                try arguments.session.wrap(make())
            }
        }
    }

    // MARK: - Shared properties

    /// `weight` and `bias` (nil when absent) as Parameters. Assigning a Parameter copies its
    /// value in (so `layer.weight.value = t` works through the property).
    static func installWeights<L: Layer>(
        _ type: TypeBuilder<L>, _ registry: Registry, weight: @escaping (L) -> NN.Parameter?,
        bias: @escaping (L) -> NN.Parameter?
    ) {
        for (name, read) in [("weight", weight), ("bias", bias)] {
            type.property(
                name, type: "Parameter",
                doc: "The \(name) parameter (nil when the layer has none).",
                get: { [unowned registry] layer in
                    try read(layer).map { try registry.value(wrapping: $0) } ?? .nilValue
                },
                set: { layer, newValue in
                    guard let target = read(layer) else {
                        throw CellError.invalidValue("this layer has no \(name)")
                    }
                    guard let source = newValue.hostPayload(as: NN.Parameter.self) else {
                        throw CellError.typeMismatch("\(name) must be a Parameter")
                    }
                    if source !== target { try target.assign(source.value) }
                })
        }
    }

    private static func installActivationProperty<L: Layer>(
        _ type: TypeBuilder<L>, _ registry: Registry, get: @escaping (L) -> Activation,
        set: @escaping (L, Activation) -> Void
    ) {
        type.property(
            "activation", type: "Activation", doc: "The fused activation (assignable).",
            get: { [unowned registry] layer in try registry.value(wrapping: get(layer)) },
            set: { layer, newValue in
                guard case .host(let object) = newValue,
                    let activation = object.payload as? Activation
                else {
                    throw CellError.typeMismatch("activation must be an Activation, such as .relu")
                }
                set(layer, activation)
            })
    }

    private static func installRegularizerProperty<L: Layer>(
        _ type: TypeBuilder<L>, _ registry: Registry, get: @escaping (L) -> Regularizer?,
        set: @escaping (L, Regularizer?) -> Void
    ) {
        type.property(
            "regularizer", type: "Regularizer?", doc: "The weight penalty, or nil (assignable).",
            get: { [unowned registry] layer in
                try get(layer).map { try registry.value(wrapping: $0) } ?? .nilValue
            },
            set: { layer, newValue in
                if newValue.isNil { return set(layer, nil) }
                guard case .host(let object) = newValue,
                    let regularizer = object.payload as? Regularizer
                else {
                    throw CellError.typeMismatch(
                        "regularizer must be a Regularizer, such as .l2(1e-4)")
                }
                set(layer, regularizer)
            })
    }
}
