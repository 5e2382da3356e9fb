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
        type.method(
            "leakyRelu", parameters: [.labelled("slope", type: "Double", default: .double(0.01))],
            returns: "Tensor", doc: "x for x > 0, slope·x otherwise."
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: TensorConversion.float(tensor).leakyRelu(slope: try arguments.float(0)))
        }
        type.method(
            "elu", parameters: [.labelled("alpha", type: "Double", default: .int(1))],
            returns: "Tensor", doc: "x for x > 0, alpha·(eˣ − 1) otherwise."
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: TensorConversion.float(tensor).elu(alpha: try arguments.float(0)))
        }
        for (name, doc) in [
            ("softmax", "Softmax along an axis (the last by default): rows that sum to 1."),
            ("logSoftmax", "The logarithm of the softmax, computed stably."),
        ] {
            type.method(
                name, parameters: [.labelled("alongAxis", type: "Int", default: .int(-1))],
                returns: "Tensor", doc: doc
            ) { tensor, arguments in
                let input = try TensorConversion.float(tensor)
                let axis = try arguments.int(0)
                return try arguments.wrap(
                    tensor: name == "softmax"
                        ? input.softmax(alongAxis: axis) : input.logSoftmax(alongAxis: axis))
            }
        }
        type.method(
            "pow", parameters: [.positional("exponent")], returns: "Tensor",
            doc: "Each element raised to `exponent` (a number or a tensor): `t.pow(2)`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: power(tensor, arguments[0]))
        }
        type.method(
            "clamped",
            parameters: [
                .labelled("min", type: "Double?", default: .nilValue),
                .labelled("max", type: "Double?", default: .nilValue),
            ],
            returns: "Tensor",
            doc: "Each element limited to [min, max]: `t.clamped(min: 0, max: 1)`."
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: TensorConversion.float(tensor).clamped(
                    min: try arguments.optionalFloat(0) ?? -.infinity,
                    max: try arguments.optionalFloat(1) ?? .infinity))
        }
        for (name, doc) in [
            ("maximum", "The larger of the two, elementwise (broadcasting)."),
            ("minimum", "The smaller of the two, elementwise (broadcasting)."),
        ] {
            type.method(name, parameters: [.positional("other")], returns: "Tensor", doc: doc) {
                tensor, arguments in
                let other = try arguments.floatTensor(0)
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
        type.method(
            "matmul", parameters: [.positional("other")], returns: "Tensor",
            doc: """
                The matrix product (batched over leading axes) through BLAS: `a.matmul(b)`, \
                [m, k] × [k, n] → [m, n].
                """
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: TensorConversion.float(tensor).matmul(try arguments.floatTensor(0)))
        }
        type.method(
            "conv2d",
            parameters: [
                .labelled("weight"), .labelled("bias", default: .nilValue),
                .labelled("stride", default: .int(1)), .labelled("padding", default: .int(0)),
                .labelled("dilation", default: .int(1)),
            ],
            returns: "Tensor",
            doc: """
                2-D convolution of an NCHW input with a weight [out, in, kh, kw]: \
                `x.conv2d(weight: w, padding: 1)`.
                """
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: TensorConversion.float(tensor).conv2d(
                    weight: try arguments.floatTensor(0),
                    bias: try arguments.optionalTensor(1).map(TensorConversion.float),
                    stride: try arguments.size2D(2), padding: try arguments.size2D(3),
                    dilation: try arguments.size2D(4)))
        }
        for name in ["maxPool2d", "avgPool2d"] {
            type.method(
                name,
                parameters: [
                    .labelled("kernel"), .labelled("stride", default: .nilValue),
                    .labelled("padding", default: .int(0)),
                ],
                returns: "Tensor",
                doc: "\(name == "maxPool2d" ? "Max" : "Average") pooling of an NCHW input: "
                    + "`x.\(name)(kernel: 2)`."
            ) { tensor, arguments in
                let input = try TensorConversion.float(tensor)
                let kernel = try arguments.size2D(0)
                let stride = arguments[1].isNil ? nil : try arguments.size2D(1)
                let padding = try arguments.size2D(2)
                return try arguments.wrap(
                    tensor: name == "maxPool2d"
                        ? input.maxPool2d(kernel: kernel, stride: stride, padding: padding)
                        : input.avgPool2d(kernel: kernel, stride: stride, padding: padding))
            }
        }
    }

    private static func installConversions(_ type: TypeBuilder<Tensor>) {
        type.method(
            "gather",
            parameters: [
                .positional("indices"), .labelled("alongAxis", type: "Int", default: .int(0)),
            ],
            returns: "Tensor", doc: "The slices at `indices` along an axis: `table.gather(ids)`."
        ) { tensor, arguments in
            try arguments.wrap(
                tensor: tensor.gather(
                    try TensorConversion.tensor(from: arguments[0], dtype: .int32),
                    alongAxis: try arguments.int(1)))
        }
        type.method(
            "oneHot", parameters: [.labelled("classCount", type: "Int")], returns: "Tensor",
            doc:
                "Class indices [N] as one-hot rows [N, classCount]: `labels.oneHot(classCount: 10)`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: Tensor.oneHot(tensor, classCount: try arguments.int(0)))
        }
        type.method(
            "converted", parameters: [.labelled("to", type: "DType")], returns: "Tensor",
            doc: "The values as another element type: `labels.converted(to: .float32)`."
        ) { tensor, arguments in
            try arguments.wrap(tensor: tensor.converted(to: try arguments.host(DType.self, 0)))
        }
        type.method(
            "allClose",
            parameters: [
                .positional("other"),
                .labelled("tolerance", type: "Double", default: .double(1e-5)),
            ],
            returns: "Bool",
            doc: """
                Whether both have the same shape and every pair of elements differs by at most \
                `tolerance` (relative to their size, like NumPy's `allclose`).
                """
        ) { tensor, arguments in
            let other = try arguments.tensor(0)
            guard other.shape == tensor.shape else { return .bool(false) }
            let tolerance = try arguments.double(1)
            let close = zip(tensor.scalars, other.scalars).allSatisfy { a, b in
                let (x, y) = (Double(a), Double(b))
                return abs(x - y) <= tolerance * (1 + abs(y)) || (x.isNaN && y.isNaN)
            }
            return .bool(close)
        }
    }

    // MARK: - Global functions

    static func installMathFunctions(into registry: Registry) {
        for operation in unaryOperations
        where !["relu", "gelu", "sigmoid", "softplus", "tanh"].contains(operation.name) {
            registry.function(
                operation.name, module: module, doc: operation.doc + " `\(operation.name)(t)`",
                parameters: [.positional("x", type: "Tensor")], returns: "Tensor"
            ) { arguments in
                try arguments.wrap(tensor: operation.apply(try arguments.floatTensor(0)))
            }
        }
        registry.preferLastOverload(of: "abs")
        registry.function(
            "pow", module: module, doc: "Each element of `x` raised to `exponent`: `pow(t, 2)`.",
            parameters: [.positional("x", type: "Tensor"), .positional("exponent")],
            returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: power(try arguments.tensor(0), arguments[1]))
        }
        registry.function(
            "matmul", module: module,
            doc: "The matrix product `a · b` (batched over leading axes): `matmul(a, b)`.",
            parameters: [.positional("a"), .positional("b")], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: arguments.floatTensor(0).matmul(try arguments.floatTensor(1)))
        }
        for (name, isMaximum) in [("maximum", true), ("minimum", false)] {
            registry.function(
                name, module: module,
                doc: "The \(isMaximum ? "larger" : "smaller") of `a` and `b`, elementwise.",
                parameters: [.positional("a"), .positional("b")], returns: "Tensor"
            ) { arguments in
                try arguments.wrap(tensor: extreme(arguments, largest: isMaximum))
            }
        }
        for (name, isMaximum) in [("max", true), ("min", false)] {
            for typed in [0, 1] {
                let parameters: [Parameter] =
                    typed == 0
                    ? [.positional("a", type: "Tensor"), .positional("b")]
                    : [.positional("a"), .positional("b", type: "Tensor")]
                registry.function(
                    name, module: module,
                    doc: "The \(isMaximum ? "larger" : "smaller") of two tensors, elementwise.",
                    parameters: parameters, returns: "Tensor"
                ) { arguments in
                    try arguments.wrap(tensor: extreme(arguments, largest: isMaximum))
                }
                registry.preferLastOverload(of: name)
            }
        }
        for (name, doc) in [
            ("concatenate", "Joins tensors along an existing axis: `concatenate([a, b])`."),
            ("stack", "Stacks tensors along a new axis: `stack([a, b], alongAxis: 0)`."),
        ] {
            registry.function(
                name, module: module, doc: doc,
                parameters: [
                    .positional("tensors", type: "[Tensor]"),
                    .labelled("alongAxis", type: "Int", default: .int(0)),
                ], returns: "Tensor"
            ) { arguments in
                let tensors = try arguments.array(0).map { try TensorConversion.tensor(from: $0) }
                let axis = try arguments.int(1)
                return try arguments.wrap(
                    tensor: name == "stack"
                        ? Tensor.stack(tensors, alongAxis: axis)
                        : Tensor.concatenate(tensors, alongAxis: axis))
            }
        }
        registry.function(
            "oneHot", module: module,
            doc: "Class indices [N] as one-hot rows: `oneHot(labels, classCount: 10)`.",
            parameters: [.positional("labels"), .labelled("classCount", type: "Int")],
            returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.oneHot(try arguments.tensor(0), classCount: try arguments.int(1)))
        }
        registry.builtinType("Double", doc: "") { type in
            type.initializer(
                parameters: [.positional("tensor", type: "Tensor")],
                doc: "The only element of a one-element tensor (a loss): `Double(loss)`."
            ) { arguments in
                .double(try TensorConversion.scalar(of: try arguments.tensor(0)))
            }
        }
        registry.preferLastInitializer(of: "Double")
    }

    /// The elementwise maximum or minimum of parameters 0 and 1.
    private static func extreme(_ arguments: Arguments, largest: Bool) throws -> Tensor {
        let a = try arguments.floatTensor(0)
        let b = try arguments.floatTensor(1)
        return largest ? try a.maximum(b) : try a.minimum(b)
    }
}
