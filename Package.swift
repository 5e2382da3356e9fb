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

// MARK: - Shared formats: one JSON, one PNG encoder, one atomic file write

let formats: [Target] = [
    // JSON values, a linear-time parser and the writer: the kernel's messages, safetensors
    // headers, notebooks and the benchmarks' output.
    .target(name: "JSON"),
    .testTarget(name: "JSONTests", dependencies: ["JSON"]),
    // A value rendered for display (MIME bundles): what Plot draws and the kernel sends.
    .target(name: "Display", dependencies: ["JSON"]),
    // PNG files from 8-bit pixels: charts (Plot) and the kernelspec logos (Jupyter).
    .target(name: "PNG", dependencies: ["CZlib"]),
    // Whole-file writes that readers see complete or not at all: checkpoints, charts,
    // notebooks, connection files, history.
    .target(name: "Files"),
    .testTarget(name: "FilesTests", dependencies: ["Files"]),
    // The memory budget a session's tensors, arrays and strings share.
    .target(name: "Memory"),
]

// MARK: - KernelInterface: the seam between the kernel server and the cell language

let kernelInterface: [Target] = [
    .target(name: "KernelInterface", dependencies: ["JSON", "Display"])
]

// MARK: - Jupyter: wire format, messages, kernel server, kernelspec, client

let jupyter: [Target] = [
    .target(
        name: "Jupyter",
        dependencies: ["KernelInterface", "JSON", "Files", "PNG", "CZeroMQ", "CSodium"]),
    .testTarget(name: "JupyterTests", dependencies: ["Jupyter", "KernelInterface"]),
]

// MARK: - Tensor: storage, ops, BLAS, autodiff

let tensor: [Target] = [
    // Hot elementwise loops in C with scalar, AVX2 and AVX-512 variants chosen from CPUID at
    // start-up (Adam's step, ReLU, column sums, byte-to-float conversion); Tensor wraps them.
    .target(
        name: "CVectorKernels",
        cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"])]),
    // Float32 convolutions on oneDNN's primitives (forward and both gradients) and its int8
    // products, behind a small C interface; Tensor's conv2d uses them where oneDNN has one for
    // the shape. libdnnl (libdnnl-dev) is loaded on first use, not linked (dnnl_library.h).
    .target(name: "CDNNLConvolution", cSettings: [.unsafeFlags(["-O2"])]),
    .target(
        name: "Tensor",
        dependencies: [
            "COpenBLAS", "CVectorKernels", "CDNNLConvolution", "JSON", "Files", "Memory",
        ],
        // sqrt without errno, so loops over Float.squareRoot() vectorize (Adam's update).
        swiftSettings: [.unsafeFlags(["-Xcc", "-fno-math-errno"])]),
    .testTarget(name: "TensorTests", dependencies: ["Tensor", "Memory", "CVectorKernels"]),
]

// MARK: - Data: IDX/CSV readers, data sets, batching, augmentation

let data: [Target] = [
    .target(
        name: "Data", dependencies: ["Tensor", "Memory", "CZlib"],
        resources: [.copy("Resources/mnist-5k")]),
    .testTarget(name: "DataTests", dependencies: ["Data", "Tensor", "CZlib"]),
]

// MARK: - NN: layers, losses, optimizers, schedules, regularizers, training, state dicts

let nn: [Target] = [
    .target(name: "NN", dependencies: ["Tensor", "Data", "Memory"]),
    .testTarget(name: "NNTests", dependencies: ["NN", "Tensor"]),
]

// MARK: - Tune: hyperparameter search (samplers, trial pruners, journals, importances)

let tune: [Target] = [
    .target(name: "Tune", dependencies: ["NN", "Tensor", "KernelInterface"]),
    .testTarget(
        name: "TuneTests", dependencies: ["Tune", "NN", "Tensor", "Data", "KernelInterface"],
        exclude: ["Fixtures"]),
]

// MARK: - Compress: weight pruning (unstructured, gradual, structured)

let compress: [Target] = [
    .target(
        name: "Compress",
        dependencies: ["NN", "Tensor", "Data", "CDNNLConvolution", "CInt8Kernels"]),
    // Int8 quantize and requantize loops, AVX-512/AVX2/baseline variants chosen at run time.
    .target(name: "CInt8Kernels", cSettings: [.unsafeFlags(["-O3"])]),
    .testTarget(
        name: "CompressTests", dependencies: ["Compress", "NN", "Tensor", "Data", "CInt8Kernels"]),
]

// MARK: - Plot: charts, tables and their SVG, PNG and text renderings

let plot: [Target] = [
    .target(name: "Plot", dependencies: ["Display", "JSON", "PNG", "Files"]),
    .testTarget(
        name: "PlotTests", dependencies: ["Plot", "Display", "JSON", "PNG", "CZlib"],
        exclude: ["Golden"]),
]

// MARK: - Cell: the cell language

let cell: [Target] = [
    .target(name: "Cell", dependencies: ["KernelInterface", "Memory"]),
    .testTarget(
        name: "CellTests",
        dependencies: [
            "Cell", "CellLibrary", "KernelInterface", "Memory", "Tensor", "NN", "Data", "Plot",
            "Tune",
        ],
        resources: [.copy("Fixtures"), .copy("Corpus")]),
    .executableTarget(name: "cell-fuzz", dependencies: ["Cell", "CellLibrary", "KernelInterface"]),
]

// MARK: - CellLibrary: the library types and functions bound into the cell language

let cellLibrary: [Target] = [
    .target(
        name: "CellLibrary",
        dependencies: [
            "Cell", "KernelInterface", "Tensor", "NN", "Data", "Plot", "Tune", "Compress",
        ])
]

// MARK: - Cluster: MPI ranks driven from the kernel (trainbook-worker links MPI, the kernel not)

let cluster: [Target] = [
    .systemLibrary(
        name: "CMPI", pkgConfig: "ompi-c",
        providers: [.apt(["libopenmpi-dev", "openmpi-bin"]), .brew(["open-mpi"])]),
    // The kernel's side: %cluster, %%cluster, launching mpirun, the ranks as Jupyter kernels.
    .target(
        name: "Cluster",
        dependencies: [
            "Cell", "CellLibrary", "Jupyter", "KernelInterface", "CZeroMQ", "Tune", "Files",
        ]),
    // The ranks' side: NN's Communicator over MPI.
    .target(name: "ClusterMPI", dependencies: ["CMPI", "NN"]),
    .executableTarget(
        name: "trainbook-worker",
        dependencies: [
            "Cluster", "ClusterMPI", "Cell", "CellLibrary", "Jupyter", "NN", "Tensor",
        ]),
    .testTarget(
        name: "ClusterTests",
        dependencies: [
            "Cluster", "Cell", "CellLibrary", "Data", "KernelInterface", "NN", "Tensor", "Tune",
            "Jupyter", "ClusterMPI",
        ]),
]

// MARK: - The trainbook command

let executable: [Target] = [
    .executableTarget(
        name: "trainbook",
        dependencies: ["KernelInterface", "Jupyter", "Cell", "CellLibrary", "Tensor", "Cluster"])
]

// MARK: - bench: the measured workloads (trainbook-bench mlp|cnn|sgemm, trainbook-latency)

let bench: [Target] = [
    // What both measuring tools share: the models and the JSON-lines output.
    .target(
        name: "BenchSupport", dependencies: ["JSON", "NN"],
        path: "bench/Sources/BenchSupport"),
    .executableTarget(
        name: "trainbook-bench",
        dependencies: ["BenchSupport", "NN", "Data", "Tensor", "COpenBLAS"],
        path: "bench/Sources/trainbook-bench"),
    // Inference latency of the same models, for bench/run's comparison with PyTorch.
    .executableTarget(
        name: "trainbook-latency", dependencies: ["BenchSupport", "NN", "Tensor", "Compress"],
        path: "bench/Sources/trainbook-latency"),
    // Tune's samplers and pruners on test functions, for the side-by-side with Optuna.
    .executableTarget(
        name: "trainbook-tune-bench", dependencies: ["BenchSupport", "Tune"],
        path: "bench/Sources/trainbook-tune-bench"),
    // The sparse × dense product against the dense one, for the rule that picks between them.
    .executableTarget(
        name: "trainbook-sparse", dependencies: ["BenchSupport", "Tensor"],
        path: "bench/Sources/trainbook-sparse"),
]

let package = Package(
    name: "Trainbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "trainbook", targets: ["trainbook"]),
        .executable(name: "trainbook-worker", targets: ["trainbook-worker"]),
    ],
    targets: systemLibraries + formats + kernelInterface + jupyter + tensor + data + nn + tune
        + compress + plot + cell + cellLibrary + cluster + executable + bench
)
