import Tensor

/// `Tensor` as a cell value: creation, properties, display; the operations, operators,
/// subscripts and autodiff are in the `TensorBindings+…` files.
enum TensorBindings {
    static let module = "Tensor"

    static func install(into registry: Registry) {
        installDType(into: registry)
        registry.type(
            Tensor.self, name: "Tensor", kind: .value, module: module,
            doc: """
                An n-dimensional array of Float32 (or Int32, UInt8, Int8) values with \
                reverse-mode autodiff; a copy-on-write value.

                ```swift
                let t = Tensor([[1, 2], [3, 4]])
                t.shape            // [2, 2]
                (t * 2 + 1).sum()  // tensor(24.0)
                t[0, 1]            // tensor(2.0)
                ```
                """
        ) { type in
            installCreation(type)
            installProperties(type, registry)
            installMath(type)
            installReductions(type)
            installLayout(type)
            installSubscripts(type)
            type.description { $0.description }
            type.summary { "\($0.dtype) \($0.shape)" }
            type.byteCount { $0.elementCount * $0.dtype.byteSize }
        }
        installCreationFunctions(into: registry)
        installMathFunctions(into: registry)
        installReductionFunctions(into: registry)
        installLayoutFunctions(into: registry)
        installOperators(into: registry)
        installAutodiff(into: registry)
    }

    /// `DType`: `.float32`, `.int32`, `.uint8`, `.int8`.
    private static func installDType(into registry: Registry) {
        registry.type(
            DType.self, name: "DType", kind: .value, module: module,
            doc: "A tensor's element type: `.float32`, `.int32`, `.uint8` or `.int8`."
        ) { type in
            for dtype in DType.allCases {
                type.staticProperty(
                    dtype.rawValue, doc: "\(dtype.rawValue): \(dtype.byteSize) byte(s) per element."
                ) { [unowned registry] in try registry.value(wrapping: dtype) }
            }
            type.property("byteSize", type: "Int", doc: "Bytes per element.") { .int($0.byteSize) }
            type.description { $0.rawValue }
        }
    }

    // MARK: - Creation

    private static func installCreation(_ type: TypeBuilder<Tensor>) {
        type.initializer(
            parameters: [
                .positional("value"), .labelled("dtype", type: "DType?", default: .nilValue),
            ],
            doc: """
                A tensor from a number, nested arrays of numbers, an Int range or an array of \
                tensors (stacked): `Tensor([[1, 2], [3, 4]])`, `Tensor(3.5)`, \
                `Tensor(0..<10, dtype: .int32)`.
                """
        ) { arguments in
            let dtype = try arguments.optional(1).map { _ in try arguments.host(DType.self, 1) }
            return try arguments.wrap(
                tensor: TensorConversion.tensor(from: arguments[0], dtype: dtype))
        }
        type.initializer(
            parameters: [
                .positional("scalars", type: "[Double]"), .labelled("shape", type: "[Int]"),
            ],
            doc: "A tensor of `shape` filled with `scalars` in row-major order."
        ) { arguments in
            let scalars = try arguments.doubles(0).map { Float($0) }
            return try arguments.wrap(tensor: Tensor(scalars, shape: try arguments.shape(1)))
        }
        let shaped: [(label: String, doc: String, make: ([Int]) throws -> Tensor)] = [
            ("zeros", "A tensor of zeros: `Tensor(zeros: [2, 3])`.", { try Tensor.zeros($0) }),
            ("ones", "A tensor of ones: `Tensor(ones: [2, 3])`.", { try Tensor.ones($0) }),
            (
                "randomNormal", "Standard normal values: `Tensor(randomNormal: [2, 3])`.",
                { try Tensor.normal($0) }
            ),
            (
                "randomUniform", "Uniform values in [0, 1): `Tensor(randomUniform: [2, 3])`.",
                { try Tensor.uniform($0) }
            ),
        ]
        for entry in shaped {
            type.initializer(parameters: [.labelled(entry.label, type: "[Int]")], doc: entry.doc) {
                arguments in
                try arguments.wrap(tensor: entry.make(try arguments.shape(0)))
            }
        }
        type.initializer(
            parameters: [
                .labelled("repeating", type: "Double"), .labelled("shape", type: "[Int]"),
            ],
            doc: "A tensor of `shape` with every element `repeating`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.full(try arguments.shape(1), value: try arguments.float(0)))
        }
        type.initializer(
            parameters: [
                .labelled("stacking", type: "[Tensor]"),
                .labelled("alongAxis", type: "Int", default: .int(0)),
            ],
            doc: "The tensors stacked along a new axis: `Tensor(stacking: [a, b])`."
        ) { arguments in
            let tensors = try arguments.array(0).map { try TensorConversion.tensor(from: $0) }
            return try arguments.wrap(
                tensor: Tensor.stack(tensors, alongAxis: try arguments.int(1)))
        }
        installStaticCreation(type)
    }

    private static func installStaticCreation(_ type: TypeBuilder<Tensor>) {
        let shapeAndType: [Parameter] = [
            .positional("shape", type: "[Int]"),
            .labelled("dtype", type: "DType?", default: .nilValue),
        ]
        type.staticMethod(
            "zeros", parameters: shapeAndType, doc: "Zeros of `shape`: `Tensor.zeros([2, 3])`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.zeros(try arguments.shape(0), dtype: try dtype(arguments, 1)))
        }
        type.staticMethod(
            "ones", parameters: shapeAndType, doc: "Ones of `shape`: `Tensor.ones([2, 3])`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.ones(try arguments.shape(0), dtype: try dtype(arguments, 1)))
        }
        type.staticMethod(
            "full",
            parameters: [
                .positional("shape", type: "[Int]"), .labelled("value", type: "Double"),
                .labelled("dtype", type: "DType?", default: .nilValue),
            ],
            doc: "`shape` filled with `value`: `Tensor.full([2, 2], value: 7)`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.full(
                    try arguments.shape(0), value: try arguments.float(1),
                    dtype: try dtype(arguments, 2)))
        }
        type.staticMethod(
            "uniform",
            parameters: [
                .positional("shape", type: "[Int]"),
                .labelled("low", type: "Double", default: .int(0)),
                .labelled("high", type: "Double", default: .int(1)),
            ],
            doc: """
                Values drawn uniformly from [low, high), from the seeded generator: \
                `Tensor.uniform([2, 3], low: -1, high: 1)`.
                """
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.uniform(
                    try arguments.shape(0), low: try arguments.float(1),
                    high: try arguments.float(2)))
        }
        type.staticMethod(
            "normal",
            parameters: [
                .positional("shape", type: "[Int]"),
                .labelled("mean", type: "Double", default: .int(0)),
                .labelled("standardDeviation", type: "Double", default: .int(1)),
            ],
            doc: """
                Values from a normal distribution, from the seeded generator: \
                `Tensor.normal([2, 3], standardDeviation: 0.1)`.
                """
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.normal(
                    try arguments.shape(0), mean: try arguments.float(1),
                    standardDeviation: try arguments.float(2)))
        }
        type.staticMethod(
            "bernoulli",
            parameters: [
                .positional("shape", type: "[Int]"), .labelled("probability", type: "Double"),
            ],
            doc: "1 with `probability`, else 0: `Tensor.bernoulli([4], probability: 0.5)`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.bernoulli(
                    try arguments.shape(0), probability: try arguments.float(1)))
        }
        type.staticMethod(
            "arange",
            parameters: [
                .positional("start", type: "Double"), .positional("end", type: "Double"),
                .labelled("step", type: "Double", default: .int(1)),
            ],
            doc: "`start, start + step, …` before `end`: `Tensor.arange(0, 1, step: 0.25)`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.arange(
                    try arguments.float(0), try arguments.float(1), step: try arguments.float(2)))
        }
        type.staticMethod(
            "arange", parameters: [.positional("count", type: "Int")],
            doc: "`0, 1, …, count - 1` as Float32: `Tensor.arange(5)`."
        ) { arguments in
            try arguments.wrap(tensor: Tensor.arange(try arguments.int(0)))
        }
        type.staticMethod(
            "eye", parameters: [.positional("size", type: "Int")],
            doc: "The `size × size` identity matrix: `Tensor.eye(3)`."
        ) { arguments in
            try arguments.wrap(tensor: Tensor.eye(try arguments.int(0)))
        }
        type.staticMethod(
            "concatenate",
            parameters: [
                .positional("tensors", type: "[Tensor]"),
                .labelled("alongAxis", type: "Int", default: .int(0)),
            ],
            doc: "The tensors joined along an existing axis: `Tensor.concatenate([a, b])`."
        ) { arguments in
            let tensors = try arguments.array(0).map { try TensorConversion.tensor(from: $0) }
            return try arguments.wrap(
                tensor: Tensor.concatenate(tensors, alongAxis: try arguments.int(1)))
        }
        type.staticMethod(
            "stack",
            parameters: [
                .positional("tensors", type: "[Tensor]"),
                .labelled("alongAxis", type: "Int", default: .int(0)),
            ],
            doc: "The tensors stacked along a new axis: `Tensor.stack([a, b])`."
        ) { arguments in
            let tensors = try arguments.array(0).map { try TensorConversion.tensor(from: $0) }
            return try arguments.wrap(
                tensor: Tensor.stack(tensors, alongAxis: try arguments.int(1)))
        }
        type.staticMethod(
            "where",
            parameters: [
                .positional("condition"), .positional("whenTrue"), .positional("whenFalse"),
            ],
            doc: "`whenTrue` where `condition` is non-zero, else `whenFalse` (broadcasting)."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.where(
                    try arguments.floatTensor(0), try arguments.floatTensor(1),
                    try arguments.floatTensor(2)))
        }
        type.staticMethod(
            "oneHot",
            parameters: [.positional("labels"), .labelled("classCount", type: "Int")],
            doc: "Class indices `[N]` as one-hot rows `[N, classCount]`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.oneHot(try arguments.tensor(0), classCount: try arguments.int(1)))
        }
    }

    /// The `DType` at parameter `index`, or nil.
    static func dtype(_ arguments: Arguments, _ index: Int) throws -> DType {
        arguments[index].isNil ? .float32 : try arguments.host(DType.self, index)
    }

    /// `zeros`, `ones`, `arange`, `eye` as global functions, as NumPy and PyTorch users write.
    private static func installCreationFunctions(into registry: Registry) {
        registry.function(
            "zeros", module: module, doc: "Zeros of `shape`: `zeros([2, 3])`.",
            parameters: [.positional("shape", type: "[Int]")], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: Tensor.zeros(try arguments.shape(0)))
        }
        registry.function(
            "ones", module: module, doc: "Ones of `shape`: `ones([2, 3])`.",
            parameters: [.positional("shape", type: "[Int]")], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: Tensor.ones(try arguments.shape(0)))
        }
        registry.function(
            "eye", module: module, doc: "The identity matrix: `eye(3)`.",
            parameters: [.positional("size", type: "Int")], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: Tensor.eye(try arguments.int(0)))
        }
        registry.function(
            "arange", module: module, doc: "`0, 1, …, count - 1` as a Float32 vector: `arange(5)`.",
            parameters: [.positional("count", type: "Int")], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: Tensor.arange(try arguments.int(0)))
        }
        registry.function(
            "arange", module: module,
            doc: "`start, start + step, …` before `end`: `arange(0, 1, step: 0.25)`.",
            parameters: [
                .positional("start", type: "Double"), .positional("end", type: "Double"),
                .labelled("step", type: "Double", default: .int(1)),
            ], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.arange(
                    try arguments.float(0), try arguments.float(1), step: try arguments.float(2)))
        }
    }

    // MARK: - Properties

    private static func installProperties(_ type: TypeBuilder<Tensor>, _ registry: Registry) {
        let info = type.info
        type.property("shape", type: "[Int]", doc: "The size of each axis, outermost first.") {
            .array($0.shape.map(Value.int))
        }
        type.property("rank", type: "Int", doc: "The number of axes (0 for a scalar).") {
            .int($0.rank)
        }
        type.property("count", type: "Int", doc: "The number of elements.") {
            .int($0.elementCount)
        }
        type.property("dtype", type: "DType", doc: "The element type (`float32`, `int32`, …).") {
            [unowned registry] tensor in try registry.value(wrapping: tensor.dtype)
        }
        type.property(
            "scalars", type: "[Double]",
            doc: "Every element in row-major order (Int for integer tensors)."
        ) { .array(TensorConversion.flatValues(of: $0)) }
        type.property(
            "array", doc: "The elements as nested arrays of the tensor's shape."
        ) { TensorConversion.nestedValue(of: $0) }
        type.property(
            "scalar", type: "Double",
            doc: "The only element of a one-element tensor (a loss) as a Double: `loss.scalar`."
        ) { .double(try TensorConversion.scalar(of: $0)) }
        type.method(
            "item", returns: "Double",
            doc: "The only element of a one-element tensor as a Double, as PyTorch's `item()`."
        ) { tensor, _ in .double(try TensorConversion.scalar(of: tensor)) }
        type.property(
            "requiresGradient", type: "Bool",
            doc: "Whether the tensor takes part in autodiff (inside `gradient(at:)`)."
        ) { .bool($0.requiresGradient) }
        type.property(
            "detached", type: "Tensor", doc: "The same values, cut off from autodiff."
        ) { [unowned info] tensor in info.wrap(tensor.detached) }
        type.property(
            "isContiguous", type: "Bool", doc: "Whether the elements are densely laid out."
        ) { .bool($0.isContiguous) }
    }
}
