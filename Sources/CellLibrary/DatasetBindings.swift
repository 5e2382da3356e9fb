import Cell
import Data
import Tensor

/// `Dataset` (sizes, class names, views: prefix, subset, shuffles, splits, class filters,
/// normalisation; CSV files and tensors as data sets), `Batches` (for-in yields `(x, y)`) and
/// `Augmentation`.
enum DatasetBindings {
    static let module = "Data"

    static func install(into registry: Registry) {
        installAugmentation(into: registry)
        installBatches(into: registry)
        registry.type(
            Dataset.self, name: "Dataset", kind: .reference, module: module,
            doc: """
                Examples and their targets (class indices or values), kept in memory; views \
                such as `prefix(2000)` share the examples.

                ```swift
                let small = data.train.prefix(2_000)
                for (x, y) in small.batches(of: 128, shuffled: true) { … }   // x [128, 1, 28, 28]
                ```
                """
        ) { type in
            installCreation(type)
            installFacts(type)
            installViews(type, registry)
            installBatching(type)
            type.description { $0.description }
            type.summary { "\($0.count) examples of shape \($0.elementShape)" }
        }
    }

    private static func installCreation(_ type: TypeBuilder<Dataset>) {
        let features = Param<Tensor>.labelled("features", as: .tensor)
        let labels = Param<Tensor>.labelled("labels", as: .tensor)
        let classNames = Param<[String]?>.optional("classNames")
        let name = Param<String>.labelled("name", default: "data set")
        type.initializer(
            parameters: [features, labels, classNames, name],
            doc: """
                A data set from tensors: features [N, …] and labels [N] (an Int32 tensor, or \
                any with `classNames`, for classes; Float32 for regression) or [N, k]: \
                `Dataset(features: x, labels: Tensor(y, dtype: .int32))`.
                """
        ) { arguments in
            var labels = try arguments[labels]
            let names = try arguments[classNames]
            if labels.dtype != .float32, labels.dtype != .int32 {
                labels = try labels.converted(to: .int32)
            } else if labels.dtype == .float32, names != nil {
                labels = try labels.converted(to: .int32)
            }
            return try arguments.session.wrap(
                try Dataset(
                    features: TensorConversion.float(try arguments[features]), labels: labels,
                    classNames: names, name: try arguments[name]))
        }
        let csv = Param<String>.labelled("csv")
        let target = Param<String>.labelled("target")
        let featureNames = Param<[String]?>.optional("features")
        let dropMissing = Param<Bool>.labelled("dropMissing", default: false)
        type.initializer(
            parameters: [csv, target, featureNames, dropMissing],
            doc: """
                A data set from a CSV file with a header: one target column, numeric or \
                categorical (one-hot) features: `Dataset(csv: "iris.csv", target: "species")`. \
                A header naming a column twice, and `inf`, `NaN` or a number beyond Float32 \
                (`1e400`) in a column of numbers, are errors naming the column and line.
                """
        ) { arguments in
            try arguments.session.wrap(
                try Dataset(
                    csv: try arguments[csv], target: try arguments[target],
                    features: try arguments[featureNames], dropMissing: try arguments[dropMissing]))
        }
    }

    private static func installFacts(_ type: TypeBuilder<Dataset>) {
        type.property("count", type: "Int", doc: "The number of examples.") { .int($0.count) }
        type.property("name", type: "String", doc: "The data set's name.") { .string($0.name) }
        type.property("elementShape", type: "[Int]", doc: "The shape of one example.") {
            .array($0.elementShape.map(Value.int))
        }
        type.property("classNames", type: "[String]", doc: "The class names, in label order.") {
            .array($0.classNames.map(Value.string))
        }
        type.property("classCount", type: "Int", doc: "The number of classes (0 for regression).") {
            .int($0.classCount)
        }
        type.property(
            "isClassification", type: "Bool", doc: "Whether the targets are class indices."
        ) { .bool($0.isClassification) }
        type.property("labels", type: "[Int]", doc: "The class index of every example.") {
            .array($0.labels.map { .int(Int($0)) })
        }
        type.property("classCounts", type: "[Int]", doc: "How many examples each class has.") {
            .array($0.classCounts.map(Value.int))
        }
        type.property("featureNames", type: "[String]", doc: "Feature names of a CSV set.") {
            .array($0.featureNames.map(Value.string))
        }
    }

    private static func installViews(_ type: TypeBuilder<Dataset>, _ registry: Registry) {
        let count = Param<Int>.positional("count")
        type.method(
            "prefix", parameters: [count], returns: "Dataset",
            doc: "The first examples (a view): `data.train.prefix(2_000)`."
        ) { set, arguments in
            try arguments.session.wrap(set.prefix(try arguments[count]))
        }
        let shardIndex = Param<Int>.positional("index")
        let shardCount = Param<Int>.labelled("of")
        type.method(
            "shard", parameters: [shardIndex, shardCount], returns: "Dataset",
            doc: """
                Shard `index` of `of` for data-parallel training: every `of`-th example from \
                `index`, all shards the same size: `data.train.shard(rank, of: worldSize)`.
                """
        ) { set, arguments in
            try arguments.session.wrap(
                try set.shard(try arguments[shardIndex], of: try arguments[shardCount]))
        }
        let indices = Param<[Int]>.positional("indices")
        type.method(
            "subset", parameters: [indices], returns: "Dataset",
            doc: "The examples at the given positions, in that order."
        ) { set, arguments in
            try arguments.session.wrap(try set.subset(try arguments[indices]))
        }
        type.method(
            "shuffled", returns: "Dataset",
            doc: "The same examples in a random order (from the seeded generator)."
        ) { set, arguments in
            try arguments.session.wrap(set.shuffled())
        }
        let validationFraction = Param<Double>.labelled("validationFraction")
        let stratified = Param<Bool?>.optional("stratified")
        type.method(
            "split", parameters: [validationFraction, stratified],
            returns: "(train: Dataset, validation: Dataset)",
            doc: """
                A random split keeping the class balance: \
                `let (train, validation) = data.train.split(validationFraction: 0.1)`.
                """
        ) { set, arguments in
            let (train, validation) = try set.split(
                validationFraction: try arguments[validationFraction],
                stratified: try arguments[stratified])
            return .tuple(
                TupleValue(
                    [try arguments.session.wrap(train), try arguments.session.wrap(validation)],
                    labels: ["train", "validation"]))
        }
        let classes = Param<[Int]>.labelled("classes")
        let relabel = Param<Bool>.labelled("relabel", default: false)
        type.method(
            "filtered", parameters: [classes, relabel],
            returns: "Dataset",
            doc: "The examples of some classes; `relabel` renumbers them 0, 1, …"
        ) { set, arguments in
            try arguments.session.wrap(
                try set.filtered(classes: try arguments[classes], relabel: try arguments[relabel]))
        }
        let statistics = Param<Normalization?>.positional(
            "statistics", as: Normalization?.argumentKind.described(type: nil),
            default: .nilValue)
        type.method(
            "normalized", parameters: [statistics],
            returns: "Dataset",
            doc: """
                The examples standardised per channel as batches are made, with this set's \
                statistics or another's: `data.test.normalized(data.train.normalization)`.
                """
        ) { set, arguments in
            try arguments.session.wrap(try set.normalized(try arguments[statistics]))
        }
        type.method("unnormalized", returns: "Dataset", doc: "The examples without normalisation.")
        {
            set, arguments in
            try arguments.session.wrap(set.unnormalized())
        }
        type.property(
            "normalization", type: "Normalization?",
            doc: "The per-channel mean and standard deviation applied, or nil."
        ) { [unowned registry] set in
            try set.normalization.map { try registry.value(wrapping: $0) } ?? .nilValue
        }
        registry.type(
            Normalization.self, name: "Normalization", kind: .value, module: module,
            doc: "Per-channel means and standard deviations for standardising examples."
        ) { normalization in
            normalization.property("mean", type: "[Double]", doc: "The channel means.") {
                .array($0.mean.map { .float32($0) })
            }
            normalization.property(
                "standardDeviation", type: "[Double]", doc: "The channel standard deviations."
            ) { .array($0.standardDeviation.map { .float32($0) }) }
            normalization.description { $0.description }
        }
    }

    private static func installBatching(_ type: TypeBuilder<Dataset>) {
        let size = Param<Int>.labelled("of")
        let shuffled = Param<Bool>.labelled("shuffled", default: false)
        let dropLast = Param<Bool>.labelled("dropLast", default: false)
        let augmentations = Param<[Value]>.labelled(
            "augmentations", as: [Value].argumentKind.described(type: "[Augmentation]"),
            default: .array([]))
        type.method(
            "batches", parameters: [size, shuffled, dropLast, augmentations],
            returns: "Batches",
            doc: """
                The mini-batches of one epoch; `for (x, y) in data.train.batches(of: 128, \
                shuffled: true) { … }` gives x [128, 1, 28, 28] and y [128].
                """
        ) { set, arguments in
            try arguments.session.wrap(
                try set.batches(
                    of: try arguments[size], shuffled: try arguments[shuffled],
                    dropLast: try arguments[dropLast],
                    augmentations: try Self.augmentations(from: arguments[augmentations]))
            )
        }
        let indices = Param<[Int]>.positional("indices")
        type.method(
            "batch", parameters: [indices], returns: "(x: Tensor, y: Tensor)",
            doc: "The examples at the given positions as one batch `(x, y)`."
        ) { set, arguments in
            try pair(try set.batch(try arguments[indices]), arguments.session)
        }
        type.method(
            "tensors", returns: "(x: Tensor, y: Tensor)",
            doc: "Every example as one batch `(x, y)` (mind the memory for big sets)."
        ) { set, arguments in
            try pair(try set.batch(Array(0..<set.count)), arguments.session)
        }
        let index = Param<Int>.positional("index")
        type.subscript(
            parameters: [index], returns: "(x: Tensor, y: Tensor)",
            doc: "One example as `(x, y)`, x without a batch axis.",
            get: { set, arguments in
                let batch = try set.batch([try arguments[index]])
                let session = arguments.session
                return .tuple(
                    TupleValue(
                        [try session.wrap(try batch.x[0]), try session.wrap(try batch.y[0])],
                        labels: ["x", "y"]))
            })
    }

    /// A batch as the tuple `(x, y)`.
    static func pair(_ batch: Batch, _ session: Session) throws -> Value {
        .tuple(
            TupleValue([try session.wrap(batch.x), try session.wrap(batch.y)], labels: ["x", "y"]))
    }

    /// The augmentations at parameter `index`.
    static func augmentations(from values: [Value]) throws -> [Augmentation] {
        try values.map { value in
            guard let augmentation = value.hostPayload(as: Augmentation.self) else {
                throw CellError.typeMismatch(
                    "augmentations must be Augmentation values such as .horizontalFlip, not "
                        + value.typeName)
            }
            return augmentation
        }
    }

    private static func installBatches(into registry: Registry) {
        registry.type(
            Batches.self, name: "Batches", kind: .value, module: module,
            doc: "The mini-batches of one epoch; `for (x, y) in batches { … }`, `batches[0]`."
        ) { type in
            type.property("count", type: "Int", doc: "The number of batches.") { .int($0.count) }
            type.property("batchSize", type: "Int", doc: "Examples per batch.") {
                .int($0.batchSize)
            }
            let index = Param<Int>.positional("index")
            type.subscript(
                parameters: [index], returns: "(x: Tensor, y: Tensor)",
                doc: "The batch at a position.",
                get: { batches, arguments in
                    try pair(try batches.batch(at: try arguments[index]), arguments.session)
                })
            type.iterate { batches, session in
                var iterator = batches.makeIterator()
                return {
                    guard let batch = try iterator.next() else { return nil }
                    return try pair(batch, session)
                }
            }
            type.description { "\($0.count) batches of \($0.batchSize) from \($0.dataset.name)" }
        }
    }

    private static func installAugmentation(into registry: Registry) {
        registry.type(
            Augmentation.self, name: "Augmentation", kind: .value, module: module,
            doc: """
                A random transform of training images: `.randomShift(pixels: 2)`, \
                `.horizontalFlip`, `.gaussianNoise(0.1)`.
                """
        ) { type in
            let info = type.info
            let pixels = Param<Int>.labelled("pixels")
            type.staticMethod(
                "randomShift", parameters: [pixels],
                doc: "Moves each image by up to `pixels` in each direction."
            ) { [unowned info] a in info.wrap(Augmentation.randomShift(pixels: try a[pixels])) }
            let padding = Param<Int>.labelled("padding")
            type.staticMethod(
                "randomCrop", parameters: [padding],
                doc: "Pads and crops back (the same as randomShift)."
            ) { [unowned info] a in info.wrap(Augmentation.randomCrop(padding: try a[padding])) }
            let probability = Param<Float>.labelled("probability", default: 0.5)
            type.staticMethod(
                "horizontalFlip", parameters: [probability],
                doc: "Mirrors images left to right with a probability (half by default)."
            ) { [unowned info] a in
                info.wrap(Augmentation.horizontalFlip(probability: try a[probability]))
            }
            let standardDeviation = Param<Float>.positional("standardDeviation")
            type.staticMethod(
                "gaussianNoise", parameters: [standardDeviation],
                doc: "Adds Gaussian noise to every value."
            ) { [unowned info] a in
                info.wrap(Augmentation.gaussianNoise(try a[standardDeviation]))
            }
            type.description { $0.description }
        }
    }
}
