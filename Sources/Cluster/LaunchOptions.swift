/// What `%cluster start N [--hostfile F] [--threads-per-rank T] [--timeout S]` asks for.
public struct LaunchOptions: Equatable, Sendable {
    /// The number of ranks.
    public var processes: Int
    /// An Open MPI hostfile naming the machines (`node1 slots=8` per line); nil: this machine.
    public var hostfile: String?
    /// Threads for tensor work in each rank; nil keeps each rank's default.
    public var threadsPerRank: Int?
    /// The longest wait for every rank to register before the job is stopped.
    public var timeoutSeconds: Double = 60

    /// Creates options.
    public init(
        processes: Int, hostfile: String? = nil, threadsPerRank: Int? = nil,
        timeoutSeconds: Double = 60
    ) {
        self.processes = processes
        self.hostfile = hostfile
        self.threadsPerRank = threadsPerRank
        self.timeoutSeconds = timeoutSeconds
    }

    /// The usage line errors show.
    public static let usage =
        "%cluster start N [--hostfile FILE] [--threads-per-rank T] [--timeout SECONDS]"

    /// Reads the words after `start`.
    ///
    /// - Throws: `ClusterError.usage` naming the wrong word.
    public init(words: [String]) throws(ClusterError) {
        guard let first = words.first, let count = Int(first), count > 0, count <= 4096 else {
            throw .usage("%cluster start needs a number of ranks from 1 to 4096: \(Self.usage)")
        }
        self.init(processes: count)
        var index = 1
        while index < words.count {
            let word = words[index]
            guard index + 1 < words.count else {
                throw .usage("\(word) needs a value: \(Self.usage)")
            }
            let value = words[index + 1]
            switch word {
            case "--hostfile":
                hostfile = value
            case "--threads-per-rank":
                guard let threads = Int(value), threads > 0, threads <= 1024 else {
                    throw .usage("--threads-per-rank wants a positive number, not \(value)")
                }
                threadsPerRank = threads
            case "--timeout":
                guard let seconds = Double(value), seconds > 0, seconds <= 86_400 else {
                    throw .usage("--timeout wants seconds, more than 0, not \(value)")
                }
                timeoutSeconds = seconds
            default:
                throw .usage("unknown option \(word): \(Self.usage)")
            }
            index += 2
        }
    }
}
