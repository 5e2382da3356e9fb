/// The command line of `trainbook-bench`:
/// `trainbook-bench mlp|cnn|conv|sgemm|matmul|blas|vector|forkjoin [--data fashion|mnist5k] [--data-dir DIR]
/// [--epochs N] [--batch-size B] [--learning-rate LR] [--seed S] [--threads T] [--limit N]
/// [--test-limit N] [--size N] [--rehearse-from CORE]`.
struct BenchOptions {
    /// The workload.
    enum Workload: String {
        /// Flatten, Dense 784→128 relu, Dense 128→10.
        case mlp
        /// conv3x3-32, maxpool 2, conv3x3-64, maxpool 2, Dense 1600→128 relu, Dense 128→10.
        case cnn
        /// The CNN's two convolutions, forward and backward, on each `ConvolutionBackend`
        /// (`--epochs` rounds, `--batch-size` images).
        case conv
        /// The bare sgemm time of the MLP's products for one Fashion-MNIST epoch.
        case sgemm
        /// The BLAS library, version, kernels and threads the products run on (no timing).
        case blas
        /// One large square product through `Tensor.matmul` (run in interruptible tiles)
        /// against one bare cblas_sgemm call of the same size.
        case matmul
        /// The C vector kernels at the MLP's sizes, each level beside the Swift loop it
        /// replaced (`--epochs` rounds).
        case vector
        /// What a fork/join of two parts costs: one thread, the worker pool, Dispatch
        /// (`--epochs` rounds).
        case forkjoin
    }

    /// The data set.
    enum DataChoice: String {
        /// Fashion-MNIST, 60,000 + 10,000 images.
        case fashion
        /// The bundled 5,000-image MNIST subset.
        case mnist5k
    }

    var workload: Workload
    var data = DataChoice.fashion
    var dataDirectory: String?
    var epochs = 10
    var batchSize = 128
    var learningRate: Float = 1e-3
    var seed: UInt64 = 0
    var threads: Int?
    /// Train on only the first N examples (for quick checks).
    var limit: Int?
    /// Test on only the first N examples (for quick checks).
    var testLimit: Int?
    /// `blas` only: rehearse the BLAS start-up as if OpenBLAS had chosen this core at load.
    var rehearseFrom: String?
    /// The side of the matrices of the `matmul` workload.
    var size = 6144

    static let usage = """
        usage: trainbook-bench mlp|cnn|conv|sgemm|matmul|blas|vector|forkjoin [--data fashion|mnist5k]
                               [--data-dir DIR] [--epochs N] [--batch-size B]
                               [--learning-rate LR] [--seed S] [--threads T] [--limit N]
                               [--test-limit N] [--size N] [--rehearse-from CORE]
        Prints one JSON object per line: the configuration, each epoch (seconds, train loss,
        test loss and accuracy, peak RSS) and a summary; `blas` prints the BLAS library,
        version, kernels and threads (--rehearse-from: as if OpenBLAS had loaded CORE);
        `vector` times the C vector kernels on each level against the Swift loops
        (--epochs rounds); `forkjoin` times two-part splits on one thread, on the worker pool
        and through Dispatch (--epochs rounds).
        """

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws(BenchError) {
        guard let first = arguments.first, let workload = Workload(rawValue: first) else {
            throw .usage(
                "the first argument must be mlp, cnn, conv, sgemm, matmul, blas, vector or forkjoin"
            )
        }
        self.workload = workload
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw .usage("\(flag) needs a value") }
            switch flag {
            case "--data":
                guard let choice = DataChoice(rawValue: value) else {
                    throw .usage("--data must be fashion or mnist5k, got \(value)")
                }
                data = choice
            case "--data-dir": dataDirectory = value
            case "--epochs": epochs = try Self.integer(value, flag, minimum: 0)
            case "--batch-size": batchSize = try Self.integer(value, flag, minimum: 1)
            case "--seed":
                guard let seed = UInt64(value) else { throw .usage("--seed must be >= 0") }
                self.seed = seed
            case "--threads": threads = try Self.integer(value, flag, minimum: 1)
            case "--limit": limit = try Self.integer(value, flag, minimum: 1)
            case "--test-limit": testLimit = try Self.integer(value, flag, minimum: 1)
            case "--rehearse-from": rehearseFrom = value
            case "--size": size = try Self.integer(value, flag, minimum: 1)
            case "--learning-rate":
                guard let rate = Float(value), rate > 0 else {
                    throw .usage("--learning-rate must be a positive number")
                }
                learningRate = rate
            default: throw .usage("unknown option \(flag)")
            }
        }
    }

    private static func integer(_ text: String, _ flag: String, minimum: Int) throws(BenchError)
        -> Int
    {
        guard let value = Int(text), value >= minimum else {
            throw .usage("\(flag) must be an integer >= \(minimum), got \(text)")
        }
        return value
    }
}

/// Why the bench stopped.
enum BenchError: Error, CustomStringConvertible {
    /// The command line is wrong.
    case usage(String)

    var description: String {
        switch self {
        case .usage(let message): return "\(message)\n\(BenchOptions.usage)"
        }
    }
}
