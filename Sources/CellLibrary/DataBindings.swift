import Cell
import Data
import Tensor

/// The data sets: `FashionMNIST()`, `MNIST()` (the bundled 5,000-image subset) and
/// `MNIST(directory:)`, `.train` / `.test`; the `Dataset`, `Batches` and `Augmentation` types are
/// in `DatasetBindings.swift`; CSV and synthetic sets here.
enum DataBindings {
    static let module = "Data"

    static func install(into registry: Registry) {
        installFashionMNIST(into: registry)
        installMNIST(into: registry)
        installSynthetic(into: registry)
        DatasetBindings.install(into: registry)
    }

    private static func installFashionMNIST(into registry: Registry) {
        registry.type(
            FashionMNIST.self, name: "FashionMNIST", kind: .reference, module: module,
            doc: """
                Zalando's Fashion-MNIST (Xiao et al., 2017): 60,000 training and 10,000 test \
                28×28 grey images of ten kinds of clothing, pixels in [0, 1].

                ```swift
                let data = FashionMNIST()          // /usr/share/datasets/fashion-mnist
                data.train.count                   // 60000
                data.train.classNames[0]           // "T-shirt/top"
                ```
                """
        ) { type in
            let directory = Param<String>.labelled(
                "directory", default: FashionMNIST.defaultDirectory)
            type.initializer(
                parameters: [directory],
                doc: "The data set in MNIST's file layout, by default Debian's copy."
            ) { arguments in
                try arguments.session.wrap(try FashionMNIST(directory: try arguments[directory]))
            }
            installSplits(type, registry, train: { $0.train }, test: { $0.test })
            type.property("directory", type: "String", doc: "Where the files were read from.") {
                .string($0.directory)
            }
            type.description { "FashionMNIST(train: \($0.train.count), test: \($0.test.count))" }
        }
    }

    private static func installMNIST(into registry: Registry) {
        registry.type(
            MNIST.self, name: "MNIST", kind: .reference, module: module,
            doc: """
                Handwritten digits (LeCun et al.): `MNIST()` is the bundled 5,000-image subset \
                (4,000 training, 1,000 test; CC BY-SA 3.0), `MNIST(directory:)` any directory in \
                MNIST's layout, such as the full 60,000 + 10,000.
                """
        ) { type in
            type.initializer(parameters: [], doc: "The bundled 5,000-image subset.") { arguments in
                try arguments.session.wrap(try MNIST())
            }
            let directory = Param<String>.labelled("directory")
            type.initializer(
                parameters: [directory], doc: "The four IDX files (raw or .gz) in `directory`."
            ) { arguments in
                try arguments.session.wrap(try MNIST(directory: try arguments[directory]))
            }
            installSplits(type, registry, train: { $0.train }, test: { $0.test })
            type.property("directory", type: "String", doc: "Where the files were read from.") {
                .string($0.directory)
            }
            type.description { "MNIST(train: \($0.train.count), test: \($0.test.count))" }
        }
    }

    /// `train`, `test` and `classNames` of a two-part data set.
    private static func installSplits<Set>(
        _ type: TypeBuilder<Set>, _ registry: Registry, train: @escaping (Set) -> Dataset,
        test: @escaping (Set) -> Dataset
    ) {
        type.property("train", type: "Dataset", doc: "The training examples.") {
            [unowned registry] set in try registry.value(wrapping: train(set))
        }
        type.property("test", type: "Dataset", doc: "The test examples.") {
            [unowned registry] set in try registry.value(wrapping: test(set))
        }
        type.property("classNames", type: "[String]", doc: "The class names, in label order.") {
            .array(train($0).classNames.map(Value.string))
        }
    }

    private static func installSynthetic(into registry: Registry) {
        registry.type(
            Synthetic.self, name: "Synthetic", kind: .value, module: module,
            doc: """
                Small seeded data sets for quick demos: `Synthetic.spirals()`, `.blobs()`, \
                `.moons()`, `.xor()` (classification) and `.line()` (regression).
                """
        ) { type in
            do {
                let classes = Param<Int>.labelled("classes", default: 3)
                let pointsPerClass = Param<Int>.labelled("pointsPerClass", default: 100)
                let noise = Param<Float>.labelled("noise", default: 0.2)
                type.staticMethod(
                    "spirals", parameters: [classes, pointsPerClass, noise], returns: "Dataset",
                    doc: "Interleaved 2-D spirals, one per class."
                ) { a in
                    try wrapSet(a) { rng in
                        try Synthetic.spirals(
                            classes: try a[classes], pointsPerClass: try a[pointsPerClass],
                            noise: try a[noise], using: &rng)
                    }
                }
            }
            do {
                let centers = Param<Int>.labelled("centers", default: 3)
                let pointsPerCenter = Param<Int>.labelled("pointsPerCenter", default: 100)
                let dimensions = Param<Int>.labelled("dimensions", default: 2)
                let deviation = Param<Float>.labelled("standardDeviation", default: 1, shown: "1")
                type.staticMethod(
                    "blobs", parameters: [centers, pointsPerCenter, dimensions, deviation],
                    returns: "Dataset", doc: "Gaussian blobs around random centers, one class each."
                ) { a in
                    try wrapSet(a) { rng in
                        try Synthetic.blobs(
                            centers: try a[centers], pointsPerCenter: try a[pointsPerCenter],
                            dimensions: try a[dimensions], standardDeviation: try a[deviation],
                            using: &rng)
                    }
                }
            }
            do {
                let count = Param<Int>.labelled("count", default: 100)
                let slope = Param<Float>.labelled("slope", default: 2, shown: "2")
                let intercept = Param<Float>.labelled("intercept", default: 0.5)
                let noise = Param<Float>.labelled("noise", default: 0.1)
                type.staticMethod(
                    "line", parameters: [count, slope, intercept, noise], returns: "Dataset",
                    doc: "Noisy points on a line y = slope·x + intercept (regression)."
                ) { a in
                    try wrapSet(a) { rng in
                        try Synthetic.line(
                            count: try a[count], slope: try a[slope], intercept: try a[intercept],
                            noise: try a[noise], using: &rng)
                    }
                }
            }
            for (name, doc, fallback) in [
                ("moons", "Two interleaved half circles.", 0.1),
                ("xor", "The four XOR quadrants.", 0.05),
            ] {
                let count = Param<Int>.labelled("count", default: 200)
                let noise = Param<Float>.labelled("noise", default: Float(fallback))
                type.staticMethod(name, parameters: [count, noise], returns: "Dataset", doc: doc) {
                    a in
                    try wrapSet(a) { rng in
                        name == "moons"
                            ? try Synthetic.moons(
                                count: try a[count], noise: try a[noise], using: &rng)
                            : try Synthetic.xor(
                                count: try a[count], noise: try a[noise], using: &rng)
                    }
                }
            }
        }
    }

    /// A synthetic set drawn from a generator split off the seeded default.
    private static func wrapSet(
        _ arguments: Arguments, _ make: (inout RandomGenerator) throws -> Dataset
    ) throws -> Value {
        var generator = RandomGenerator.withDefault { $0.split() }
        return try arguments.session.wrap(try make(&generator))
    }
}
