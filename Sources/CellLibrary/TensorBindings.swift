import Cell
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

    /// A shape declared as `[Int]` (one Int is also a vector's length).
    static var shapeKind: ArgumentKind<[Int]> {
        ArgumentKind.shape.described(type: "[Int]")
    }

    private static func installCreation(_ type: TypeBuilder<Tensor>) {
        let value = Param<Value>.positional("value")
        let dtype = Param<DType?>.optional("dtype")
        type.initializer(
            parameters: [value, dtype],
            doc: """
                A tensor from a number, nested arrays of numbers, an Int range or an array of \
                tensors (stacked): `Tensor([[1, 2], [3, 4]])`, `Tensor(3.5)`, \
                `Tensor(0..<10, dtype: .int32)`.
                """
        ) { arguments in
            try arguments.wrap(
                tensor: TensorConversion.tensor(from: arguments[value], dtype: arguments[dtype]))
        }
        let scalars = Param<[Float]>.positional("scalars")
        let shape = Param<[Int]>.labelled("shape", as: shapeKind)
        type.initializer(
            parameters: [scalars, shape],
            doc: "A tensor of `shape` filled with `scalars` in row-major order."
        ) { arguments in
            try arguments.wrap(tensor: Tensor(try arguments[scalars], shape: try arguments[shape]))
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
            let shape = Param<[Int]>.labelled(entry.label, as: shapeKind)
            type.initializer(parameters: [shape], doc: entry.doc) { arguments in
                try arguments.wrap(tensor: entry.make(try arguments[shape]))
            }
        }
        let repeating = Param<Float>.labelled("repeating")
        type.initializer(
            parameters: [repeating, shape],
            doc: "A tensor of `shape` with every element `repeating`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.full(try arguments[shape], value: try arguments[repeating]))
        }
        let stacking = Param<[Value]>.labelled(
            "stacking", as: [Value].argumentKind.described(type: "[Tensor]"))
        let alongAxis = Param<Int>.labelled("alongAxis", default: 0)
        type.initializer(
            parameters: [stacking, alongAxis],
            doc: "The tensors stacked along a new axis: `Tensor(stacking: [a, b])`."
        ) { arguments in
            let tensors = try arguments[stacking].map { try TensorConversion.tensor(from: $0) }
            return try arguments.wrap(
                tensor: Tensor.stack(tensors, alongAxis: try arguments[alongAxis]))
        }
        installStaticCreation(type)
    }

    private static func installStaticCreation(_ type: TypeBuilder<Tensor>) {
        let shape = Param<[Int]>.positional("shape", as: shapeKind)
        let dtype = Param<DType?>.optional("dtype")
        type.staticMethod(
            "zeros", parameters: [shape, dtype], doc: "Zeros of `shape`: `Tensor.zeros([2, 3])`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.zeros(try arguments[shape], dtype: try arguments[dtype] ?? .float32))
        }
        type.staticMethod(
            "ones", parameters: [shape, dtype], doc: "Ones of `shape`: `Tensor.ones([2, 3])`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.ones(try arguments[shape], dtype: try arguments[dtype] ?? .float32))
        }
        let value = Param<Float>.labelled("value")
        type.staticMethod(
            "full", parameters: [shape, value, dtype],
            doc: "`shape` filled with `value`: `Tensor.full([2, 2], value: 7)`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.full(
                    try arguments[shape], value: try arguments[value],
                    dtype: try arguments[dtype] ?? .float32))
        }
        let low = Param<Float>.labelled("low", default: 0, shown: "0")
        let high = Param<Float>.labelled("high", default: 1, shown: "1")
        type.staticMethod(
            "uniform", parameters: [shape, low, high],
            doc: """
                Values drawn uniformly from [low, high), from the seeded generator: \
                `Tensor.uniform([2, 3], low: -1, high: 1)`.
                """
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.uniform(
                    try arguments[shape], low: try arguments[low], high: try arguments[high]))
        }
        let mean = Param<Float>.labelled("mean", default: 0, shown: "0")
        let deviation = Param<Float>.labelled("standardDeviation", default: 1, shown: "1")
        type.staticMethod(
            "normal", parameters: [shape, mean, deviation],
            doc: """
                Values from a normal distribution, from the seeded generator: \
                `Tensor.normal([2, 3], standardDeviation: 0.1)`.
                """
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.normal(
                    try arguments[shape], mean: try arguments[mean],
                    standardDeviation: try arguments[deviation]))
        }
        let probability = Param<Float>.labelled("probability")
        type.staticMethod(
            "bernoulli", parameters: [shape, probability],
            doc: "1 with `probability`, else 0: `Tensor.bernoulli([4], probability: 0.5)`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.bernoulli(
                    try arguments[shape], probability: try arguments[probability]))
        }
        let range = RangeParameters()
        type.staticMethod(
            "arange", parameters: range.all,
            doc: "`start, start + step, …` before `end`: `Tensor.arange(0, 1, step: 0.25)`."
        ) { arguments in
            try arguments.wrap(tensor: range.read(arguments))
        }
        let count = Param<Int>.positional("count")
        type.staticMethod(
            "arange", parameters: [count],
            doc: "`0, 1, …, count - 1` as Float32: `Tensor.arange(5)`."
        ) { arguments in
            try arguments.wrap(tensor: Tensor.arange(try arguments[count]))
        }
        let size = Param<Int>.positional("size")
        type.staticMethod(
            "eye", parameters: [size], doc: "The `size × size` identity matrix: `Tensor.eye(3)`."
        ) { arguments in
            try arguments.wrap(tensor: Tensor.eye(try arguments[size]))
        }
        let tensors = Param<[Value]>.positional(
            "tensors", as: [Value].argumentKind.described(type: "[Tensor]"))
        let alongAxis = Param<Int>.labelled("alongAxis", default: 0)
        type.staticMethod(
            "concatenate", parameters: [tensors, alongAxis],
            doc: "The tensors joined along an existing axis: `Tensor.concatenate([a, b])`."
        ) { arguments in
            let tensors = try arguments[tensors].map { try TensorConversion.tensor(from: $0) }
            return try arguments.wrap(
                tensor: Tensor.concatenate(tensors, alongAxis: try arguments[alongAxis]))
        }
        type.staticMethod(
            "stack", parameters: [tensors, alongAxis],
            doc: "The tensors stacked along a new axis: `Tensor.stack([a, b])`."
        ) { arguments in
            let tensors = try arguments[tensors].map { try TensorConversion.tensor(from: $0) }
            return try arguments.wrap(
                tensor: Tensor.stack(tensors, alongAxis: try arguments[alongAxis]))
        }
        let condition = Param<Tensor>.positional("condition", as: .floatTensor)
        let whenTrue = Param<Tensor>.positional("whenTrue", as: .floatTensor)
        let whenFalse = Param<Tensor>.positional("whenFalse", as: .floatTensor)
        type.staticMethod(
            "where", parameters: [condition, whenTrue, whenFalse],
            doc: "`whenTrue` where `condition` is non-zero, else `whenFalse` (broadcasting)."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.where(
                    try arguments[condition], try arguments[whenTrue], try arguments[whenFalse]))
        }
        let labels = Param<Tensor>.positional("labels", as: .tensor)
        let classCount = Param<Int>.labelled("classCount")
        type.staticMethod(
            "oneHot", parameters: [labels, classCount],
            doc: "Class indices `[N]` as one-hot rows `[N, classCount]`."
        ) { arguments in
            try arguments.wrap(
                tensor: Tensor.oneHot(try arguments[labels], classCount: try arguments[classCount]))
        }
    }

    /// `arange(start, end, step:)`'s parameters.
    private struct RangeParameters {
        let start = Param<Float>.positional("start")
        let end = Param<Float>.positional("end")
        let step = Param<Float>.labelled("step", default: 1, shown: "1")

        var all: [any ParameterDeclaration] { [start, end, step] }

        func read(_ arguments: Arguments) throws -> Tensor {
            try Tensor.arange(
                try arguments[start], try arguments[end], step: try arguments[step])
        }
    }

    /// `zeros`, `ones`, `arange`, `eye` as global functions, as NumPy and PyTorch users write.
    private static func installCreationFunctions(into registry: Registry) {
        let shape = Param<[Int]>.positional("shape", as: shapeKind)
        registry.function(
            "zeros", module: module, doc: "Zeros of `shape`: `zeros([2, 3])`.",
            parameters: [shape], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: Tensor.zeros(try arguments[shape]))
        }
        registry.function(
            "ones", module: module, doc: "Ones of `shape`: `ones([2, 3])`.",
            parameters: [shape], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: Tensor.ones(try arguments[shape]))
        }
        let size = Param<Int>.positional("size")
        registry.function(
            "eye", module: module, doc: "The identity matrix: `eye(3)`.",
            parameters: [size], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: Tensor.eye(try arguments[size]))
        }
        let count = Param<Int>.positional("count")
        registry.function(
            "arange", module: module, doc: "`0, 1, …, count - 1` as a Float32 vector: `arange(5)`.",
            parameters: [count], returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: Tensor.arange(try arguments[count]))
        }
        let range = RangeParameters()
        registry.function(
            "arange", module: module,
            doc: "`start, start + step, …` before `end`: `arange(0, 1, step: 0.25)`.",
            parameters: range.all, returns: "Tensor"
        ) { arguments in
            try arguments.wrap(tensor: range.read(arguments))
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
