// swift-tools-version:6.0
// Trainbook: a Jupyter kernel in Swift for training, tuning and compressing neural networks.
// Layers and data flow are described in DESIGN.md; each target below is one layer.
import PackageDescription

let package = Package(
    name: "Trainbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "trainbook", targets: ["trainbook"])
    ],
    targets: [
        // MARK: - System libraries (module maps only)
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

        // MARK: - The seam between the kernel server and the cell language
        .target(name: "KernelInterface"),

        // MARK: - Executable
        .executableTarget(
            name: "trainbook",
            dependencies: ["KernelInterface"]),

        // MARK: - Tests
        .testTarget(name: "KernelInterfaceTests", dependencies: ["KernelInterface"]),
    ]
)
