/// The command line of `trainbook-latency`:
/// `trainbook-latency mlp|cnn [--batch-sizes 1,256] [--threads T] [--budget SECONDS]
/// [--max-calls N] [--warm-up N] [--precision float32|int8|int8-dynamic]`.
struct LatencyOptions {
    /// The model whose forward pass is timed.
    enum Model: String {
        /// Flatten, Dense 784→128 relu, Dense 128→10.
        case mlp
        /// conv3x3-32, maxpool 2, conv3x3-64, maxpool 2, Dense 1600→128 relu, Dense 128→10.
        case cnn
    }

    /// The arithmetic of the model's dense and convolution layers.
    enum Precision: String {
        /// The float32 model.
        case float32
        /// Post-training static int8 (calibrated on random inputs), Compress's `quantize`: the
        /// Dense layers and the CNN's convolutions.
        case int8
        /// Dynamic int8 (each batch's own input range), as PyTorch's `quantize_dynamic` (which
        /// quantizes Linear layers only).
        case int8Dynamic = "int8-dynamic"
    }

    var model: Model
    var precision = Precision.float32
    var batchSizes = [1, 256]
    var threads: Int?
    /// Seconds of timed calls per batch size (at least `minimumCalls` calls are made).
    var budgetSeconds = 2.0
    var maximumCalls = 2000
    var minimumCalls = 5
    var warmUpCalls = 10

    static let usage = """
        usage: trainbook-latency mlp|cnn [--batch-sizes 1,256] [--threads T] [--budget SECONDS]
                                 [--max-calls N] [--warm-up N]
                                 [--precision float32|int8|int8-dynamic]
        Times the model's forward pass in evaluation mode without the tape, one call at a time
        on the same input, and prints one JSON line per batch size (median, p90, p99, min
        milliseconds per call).
        """

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws(LatencyError) {
        guard let first = arguments.first, let model = Model(rawValue: first) else {
            throw .usage("the first argument must be mlp or cnn")
        }
        self.model = model
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw .usage("\(flag) needs a value") }
            switch flag {
            case "--batch-sizes":
                let sizes = value.split(separator: ",").compactMap { Int($0) }
                guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 && $0 <= 65_536 }) else {
                    throw .usage("--batch-sizes must be a list like 1,256, got \(value)")
                }
                batchSizes = sizes
            case "--threads": threads = try Self.integer(value, flag, minimum: 1)
            case "--max-calls": maximumCalls = try Self.integer(value, flag, minimum: 1)
            case "--warm-up": warmUpCalls = try Self.integer(value, flag, minimum: 0)
            case "--precision":
                guard let chosen = Precision(rawValue: value) else {
                    throw .usage("--precision must be float32, int8 or int8-dynamic")
                }
                precision = chosen
            case "--budget":
                guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
                    throw .usage("--budget must be a positive number of seconds")
                }
                budgetSeconds = seconds
            default: throw .usage("unknown option \(flag)")
            }
        }
        minimumCalls = min(minimumCalls, maximumCalls)
    }

    private static func integer(_ text: String, _ flag: String, minimum: Int) throws(LatencyError)
        -> Int
    {
        guard let value = Int(text), value >= minimum else {
            throw .usage("\(flag) must be an integer >= \(minimum), got \(text)")
        }
        return value
    }
}

/// Why the latency run stopped.
enum LatencyError: Error, CustomStringConvertible {
    /// The command line is wrong.
    case usage(String)

    var description: String {
        switch self {
        case .usage(let message): return "\(message)\n\(LatencyOptions.usage)"
        }
    }
}
