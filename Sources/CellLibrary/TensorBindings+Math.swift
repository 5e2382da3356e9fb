import Cell
import Tensor

/// Elementwise math, activations as methods, matrix products, convolution, pooling, gathers
/// and conversions: methods of `Tensor` and, where NumPy users expect them, global functions.
extension TensorBindings {
    /// The elementwise functions without options: name, summary, operation.
    static var unaryOperations: [(name: String, doc: String, apply: (Tensor) throws -> Tensor)] {
        [
            ("exp", "eˣ, elementwise.", { try $0.exp() }),
            ("log", "The natural logarithm, elementwise.", { try $0.log() }),
            ("sqrt", "The square root, elementwise.", { try $0.sqrt() }),
            ("squared", "x², elementwise.", { try $0.squared() }),
            ("abs", "|x|, elementwise.", { try $0.abs() }),
            ("relu", "max(x, 0), elementwise.", { try $0.relu() }),
            ("gelu", "The exact (erf) GELU, elementwise.", { try $0.gelu() }),
            ("tanh", "The hyperbolic tangent, elementwise.", { try $0.tanh() }),
            ("sigmoid", "The logistic function 1 / (1 + e⁻ˣ), elementwise.", { try $0.sigmoid() }),
            ("softplus", "log(1 + eˣ), elementwise.", { try $0.softplus() }),
        ]
    }

    static func installMath(_ type: TypeBuilder<Tensor>) {
        for operation in unaryOperations {
            type.method(
                operation.name, returns: "Tensor",
                doc: operation.doc + " `t.\(operation.name)()`"
            ) { tensor, arguments in
                try arguments.wrap(tensor: operation.apply(TensorConversion.float(tensor)))
            }
        }
        let slope = Param<Float>.labelled("slope", default: 0.01)
        type.method(
            "leakyRelu", parameters: [slope], returns: "Tensor",
            doc: "x for x > 0, slope·x otherwise."
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: TensorConversion.float(tensor).leakyRelu(slope: try arguments[slope]))
        }
        let alpha = Param<Float>.labelled("alpha", default: 1, shown: "1")
        type.method(
            "elu", parameters: [alpha], returns: "Tensor",
            doc: "x for x > 0, alpha·(eˣ − 1) otherwise."
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: TensorConversion.float(tensor).elu(alpha: try arguments[alpha]))
        }
        let alongAxis = Param<Int>.labelled("alongAxis", default: -1)
        for (name, doc) in [
            ("softmax", "Softmax along an axis (the last by default): rows that sum to 1."),
            ("logSoftmax", "The logarithm of the softmax, computed stably."),
        ] {
            type.method(name, parameters: [alongAxis], returns: "Tensor", doc: doc) {
                tensor, arguments in
                let input = try TensorConversion.float(tensor)
                let axis = try arguments[alongAxis]
                return try arguments.wrap(
                    tensor: name == "softmax"
                        ? input.softmax(alongAxis: axis) : input.logSoftmax(alongAxis: axis))
            }
        }
        let exponent = Param<Value>.positional("exponent")
        type.method(
            "pow", parameters: [exponent], returns: "Tensor",
            doc: "Each element raised to `exponent` (a number or a tensor): `t.pow(2)`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: power(tensor, try arguments[exponent]))
        }
        let low = Param<Float?>.optional("min")
        let high = Param<Float?>.optional("max")
        type.method(
            "clamped", parameters: [low, high], returns: "Tensor",
            doc: "Each element limited to [min, max]: `t.clamped(min: 0, max: 1)`."
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: TensorConversion.float(tensor).clamped(
                    min: try arguments[low] ?? -.infinity, max: try arguments[high] ?? .infinity))
        }
        let other = Param<Tensor>.positional("other", as: .floatTensor)
        for (name, doc) in [
            ("maximum", "The larger of the two, elementwise (broadcasting)."),
            ("minimum", "The smaller of the two, elementwise (broadcasting)."),
        ] {
            type.method(name, parameters: [other], returns: "Tensor", doc: doc) {
                tensor, arguments in
                let other = try arguments[other]
                let input = try TensorConversion.float(tensor)
                return try arguments.wrap(
                    tensor: name == "maximum" ? input.maximum(other) : input.minimum(other))
            }
        }
        installProducts(type)
        installConversions(type)
    }

    /// `x` raised to `exponent`, a number or a tensor.
    static func power(_ base: Tensor, _ exponent: Value) throws -> Tensor {
        let input = try TensorConversion.float(base)
        switch exponent {
        case .int(let value): return try input.pow(Float(value))
        case .double(let value): return try input.pow(Float(value))
        default:
            return try input.pow(TensorConversion.float(TensorConversion.tensor(from: exponent)))
        }
    }

    private static func installProducts(_ type: TypeBuilder<Tensor>) {
        let other = Param<Tensor>.positional("other", as: .floatTensor)
        type.method(
            "matmul", parameters: [other], returns: "Tensor",
            doc: """
                The matrix product (batched over leading axes) through BLAS: `a.matmul(b)`, \
                [m, k] × [k, n] → [m, n].
                """
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: TensorConversion.float(tensor).matmul(try arguments[other]))
        }
        let weight = Param<Tensor>.labelled("weight", as: .floatTensor)
        let bias = Param<Tensor?>.labelled(
            "bias", as: ArgumentKind<Tensor>.floatTensor.optional, default: .nilValue)
        let stride = Param<Size2D>.labelled("stride", as: .size2D, default: .int(1))
        let padding = Param<Size2D>.labelled("padding", as: .size2D, default: .int(0))
        let dilation = Param<Size2D>.labelled("dilation", as: .size2D, default: .int(1))
        type.method(
            "conv2d", parameters: [weight, bias, stride, padding, dilation],
            returns: "Tensor",
            doc: """
                2-D convolution of an NCHW input with a weight [out, in, kh, kw]: \
                `x.conv2d(weight: w, padding: 1)`.
                """
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: TensorConversion.float(tensor).conv2d(
                    weight: try arguments[weight], bias: try arguments[bias],
                    stride: try arguments[stride], padding: try arguments[padding],
                    dilation: try arguments[dilation]))
        }
        let kernel = Param<Size2D>.labelled("kernel", as: .size2D)
        let poolStride = Param<Size2D?>.labelled(
            "stride", as: ArgumentKind<Size2D>.size2D.optional, default: .nilValue)
        for name in ["maxPool2d", "avgPool2d"] {
            type.method(
                name, parameters: [kernel, poolStride, padding],
                returns: "Tensor",
                doc: "\(name == "maxPool2d" ? "Max" : "Average") pooling of an NCHW input: "
                    + "`x.\(name)(kernel: 2)`."
            ) { tensor, arguments in
                let input = try TensorConversion.float(tensor)
                let kernel = try arguments[kernel]
                let stride = try arguments[poolStride]
                let padding = try arguments[padding]
                return try arguments.wrap(
                    tensor: name == "maxPool2d"
                        ? input.maxPool2d(kernel: kernel, stride: stride, padding: padding)
                        : input.avgPool2d(kernel: kernel, stride: stride, padding: padding))
            }
        }
    }

    private static func installConversions(_ type: TypeBuilder<Tensor>) {
        let indices = Param<Value>.positional("indices")
        let alongAxis = Param<Int>.labelled("alongAxis", default: 0)
        type.method(
            "gather", parameters: [indices, alongAxis], returns: "Tensor",
            doc: "The slices at `indices` along an axis: `table.gather(ids)`."
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: tensor.gather(
                    try TensorConversion.tensor(from: arguments[indices], dtype: .int32),
                    alongAxis: try arguments[alongAxis]))
        }
        let classCount = Param<Int>.labelled("classCount")
        type.method(
            "oneHot", parameters: [classCount], returns: "Tensor",
            doc:
                "Class indices [N] as one-hot rows [N, classCount]: `labels.oneHot(classCount: 10)`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: Tensor.oneHot(tensor, classCount: try arguments[classCount]))
        }
        let dtype = Param<DType>.labelled("to")
        type.method(
            "converted", parameters: [dtype], returns: "Tensor",
            doc: "The values as another element type: `labels.converted(to: .float32)`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.converted(to: try arguments[dtype]))
        }
        let other = Param<Tensor>.positional("other", as: .tensor)
        let tolerance = Param<Double>.labelled("tolerance", default: 1e-5)
        type.method(
            "allClose", parameters: [other, tolerance],
            returns: "Bool",
            doc: """
                Whether both have the same shape and every pair of elements differs by at most \
                `tolerance` (relative to their size, like NumPy's `allclose`).
                """
        ) { tensor, arguments in
            let other = try arguments[other]
            guard other.shape == tensor.shape else { return .bool(false) }
            let tolerance = try arguments[tolerance]
            let close = zip(tensor.scalars, other.scalars).allSatisfy { a, b in
                let (x, y) = (Double(a), Double(b))
                return abs(x - y) <= tolerance * (1 + abs(y)) || (x.isNaN && y.isNaN)
            }
            return .bool(close)
        }
    }

    // MARK: - Global functions

    static func installMathFunctions(into registry: Registry) {
        let x = Param<Tensor>.positional(
            "x", as: ArgumentKind<Tensor>.floatTensor.described(type: "Tensor"))
        for operation in unaryOperations
        where !["relu", "gelu", "sigmoid", "softplus", "tanh"].contains(operation.name) {
            registry.function(
                operation.name, module: module, doc: operation.doc + " `\(operation.name)(t)`",
                parameters: [x], returns: "Tensor"
            ) { arguments in
                try arguments.wrap(tensor: operation.apply(try arguments[x]))
            }
        }
        registry.preferLastOverload(of: "abs")
        let base = Param<Tensor>.positional(
            "x", as: ArgumentKind<Tensor>.tensor.described(type: "Tensor"))
        let exponent = Param<Value>.positional("exponent")
        registry.function(
            "pow", module: module, doc: "Each element of `x` raised to `exponent`: `pow(t, 2)`.",
            parameters: [base, exponent], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: power(try arguments[base], try arguments[exponent]))
        }
        let (a, b) = (
            Param<Tensor>.positional("a", as: .floatTensor),
            Param<Tensor>.positional("b", as: .floatTensor)
        )
        registry.function(
            "matmul", module: module,
            doc: "The matrix product `a · b` (batched over leading axes): `matmul(a, b)`.",
            parameters: [a, b], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: arguments[a].matmul(try arguments[b]))
        }
        for (name, isMaximum) in [("maximum", true), ("minimum", false)] {
            registry.function(
                name, module: module,
                doc: "The \(isMaximum ? "larger" : "smaller") of `a` and `b`, elementwise.",
                parameters: [a, b], returns: "Tensor"
            ) { arguments in
                try arguments.wrap(
                    tensor: extreme(arguments[a], arguments[b], largest: isMaximum))
            }
        }
        let typedA = Param<Tensor>.positional(
            "a", as: ArgumentKind<Tensor>.floatTensor.described(type: "Tensor"))
        let typedB = Param<Tensor>.positional(
            "b", as: ArgumentKind<Tensor>.floatTensor.described(type: "Tensor"))
        for (name, isMaximum) in [("max", true), ("min", false)] {
            for typed in [0, 1] {
                let (first, second) = typed == 0 ? (typedA, b) : (a, typedB)
                registry.function(
                    name, module: module,
                    doc: "The \(isMaximum ? "larger" : "smaller") of two tensors, elementwise.",
                    parameters: [first, second], returns: "Tensor"
                ) { arguments in
                    try arguments.wrap(
                        tensor: extreme(arguments[first], arguments[second], largest: isMaximum))
                }
                registry.preferLastOverload(of: name)
            }
        }
        let tensors = Param<[Value]>.positional(
            "tensors", as: [Value].argumentKind.described(type: "[Tensor]"))
        let alongAxis = Param<Int>.labelled("alongAxis", default: 0)
        for (name, doc) in [
            ("concatenate", "Joins tensors along an existing axis: `concatenate([a, b])`."),
            ("stack", "Stacks tensors along a new axis: `stack([a, b], alongAxis: 0)`."),
        ] {
            registry.function(
                name, module: module, doc: doc, parameters: [tensors, alongAxis], returns: "Tensor"
            ) { arguments in
                let tensors = try arguments[tensors].map { try TensorConversion.tensor(from: $0) }
                let axis = try arguments[alongAxis]
                return try arguments.wrap(
                    tensor: name == "stack"
                        ? Tensor.stack(tensors, alongAxis: axis)
                        : Tensor.concatenate(tensors, alongAxis: axis))
            }
        }
        let labels = Param<Tensor>.positional("labels", as: .tensor)
        let classCount = Param<Int>.labelled("classCount")
        registry.function(
            "oneHot", module: module,
            doc: "Class indices [N] as one-hot rows: `oneHot(labels, classCount: 10)`.",
            parameters: [labels, classCount], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.oneHot(try arguments[labels], classCount: try arguments[classCount]))
        }
        let tensor = Param<Tensor>.positional("tensor")
        registry.builtinType("Double", doc: "") { type in
            type.initializer(
                parameters: [tensor],
                doc: "The only element of a one-element tensor (a loss): `Double(loss)`."
            ) { arguments in
                .double(try TensorConversion.scalar(of: try arguments[tensor]))
            }
        }
        registry.preferLastInitializer(of: "Double")
    }

    /// The elementwise maximum or minimum of two tensors.
    private static func extreme(_ a: Tensor, _ b: Tensor, largest: Bool) throws -> Tensor {
        largest ? try a.maximum(b) : try a.minimum(b)
    }
}
