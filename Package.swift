// swift-tools-version:6.0
// Trainbook: a Jupyter kernel in Swift for training, tuning and compressing neural networks.
// Each block below is one layer of DESIGN.md; a module's own block lists its targets and tests.
import PackageDescription

// MARK: - System libraries (module maps only)

let systemLibraries: [Target] = [
    .systemLibrary(
        name: "CZeroMQ", pkgConfig: "libzmq",
        providers: [.apt(["libzmq3-dev"]), .brew(["zeromq"])]),
    .systemLibrary(
        name: "CSodium", pkgConfig: "libsodium",
        providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]),
    .systemLibrary(
        name: "CZlib", pkgConfig: "zlib",
        providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
    .systemLibrary(
        name: "COpenBLAS", pkgConfig: "openblas",
        providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
]

// MARK: - KernelInterface: the seam between the kernel server and the cell language

let kernelInterface: [Target] = [
    .target(name: "KernelInterface"),
    .testTarget(name: "KernelInterfaceTests", dependencies: ["KernelInterface"]),
]

// MARK: - Jupyter: wire format, messages, kernel server, kernelspec, client

let jupyter: [Target] = [
    .target(name: "Jupyter", dependencies: ["KernelInterface", "CZeroMQ", "CSodium", "CZlib"]),
    .testTarget(name: "JupyterTests", dependencies: ["Jupyter", "KernelInterface"]),
]

// MARK: - Tensor: storage, ops, BLAS, autodiff

let tensor: [Target] = [
    .target(
        name: "Tensor", dependencies: ["COpenBLAS"],
        // sqrt without errno, so loops over Float.squareRoot() vectorize (Adam's update).
        swiftSettings: [.unsafeFlags(["-Xcc", "-fno-math-errno"])]),
    .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
]

// MARK: - Data: IDX/CSV readers, data sets, batching, augmentation

let data: [Target] = [
    .target(
        name: "Data", dependencies: ["Tensor", "CZlib"],
        resources: [.copy("Resources/mnist-5k")]),
    .testTarget(name: "DataTests", dependencies: ["Data", "Tensor", "CZlib"]),
]

// MARK: - NN: layers, losses, optimizers, schedules, regularizers, training, state dicts

let nn: [Target] = [
    .target(name: "NN", dependencies: ["Tensor", "Data"]),
    .testTarget(name: "NNTests", dependencies: ["NN", "Tensor"]),
]

// MARK: - Tune: hyperparameter search (samplers, trial pruners, journals, importances)

let tune: [Target] = [
    .target(name: "Tune", dependencies: ["NN", "Tensor", "KernelInterface"]),
    .testTarget(
        name: "TuneTests", dependencies: ["Tune", "NN", "Tensor", "Data", "KernelInterface"]),
]

// MARK: - Plot: charts, tables and their SVG, PNG and text renderings

let plot: [Target] = [
    .target(name: "Plot", dependencies: ["KernelInterface", "CZlib"]),
    .testTarget(
        name: "PlotTests", dependencies: ["Plot", "KernelInterface", "CZlib"],
        exclude: ["Golden"]),
]

// MARK: - Cell: the cell language

let cell: [Target] = [
    .target(name: "Cell", dependencies: ["KernelInterface"]),
    .testTarget(
        name: "CellTests",
        dependencies: ["Cell", "CellLibrary", "KernelInterface", "Tensor", "NN", "Data", "Plot"],
        resources: [.copy("Fixtures")]),
    .executableTarget(name: "cell-fuzz", dependencies: ["Cell", "CellLibrary", "KernelInterface"]),
]

// MARK: - CellLibrary: the library types and functions bound into the cell language

let cellLibrary: [Target] = [
    .target(
        name: "CellLibrary",
        dependencies: ["Cell", "KernelInterface", "Tensor", "NN", "Data", "Plot", "Tune"])
]

// MARK: - The trainbook command

let executable: [Target] = [
    .executableTarget(
        name: "trainbook", dependencies: ["KernelInterface", "Jupyter", "Cell", "CellLibrary"])
]

// MARK: - bench: the measured workloads (trainbook-bench mlp|cnn|sgemm, trainbook-latency)

let bench: [Target] = [
    // What both measuring tools share: the models and the JSON-lines output.
    .target(
        name: "BenchSupport", dependencies: ["KernelInterface", "NN"],
        path: "bench/Sources/BenchSupport"),
    .executableTarget(
        name: "trainbook-bench", dependencies: ["BenchSupport", "NN", "Data", "Tensor"],
        path: "bench/Sources/trainbook-bench"),
    // Inference latency of the same models, for bench/run's comparison with PyTorch.
    .executableTarget(
        name: "trainbook-latency", dependencies: ["BenchSupport", "NN", "Tensor"],
        path: "bench/Sources/trainbook-latency"),
]

let package = Package(
    name: "Trainbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "trainbook", targets: ["trainbook"])
    ],
    targets: systemLibraries + kernelInterface + jupyter + tensor + data + nn + tune + plot + cell
        + cellLibrary + executable + bench
)
