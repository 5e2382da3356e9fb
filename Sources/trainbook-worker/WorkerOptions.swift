import Cluster
import Foundation

/// The command line of `trainbook-worker`, as `%cluster start` writes it.
struct WorkerOptions {
    /// The environment variable that carries the cluster's message key (never the command
    /// line, which `ps` shows).
    static let keyVariable = "TRAINBOOK_CLUSTER_KEY"

    /// Where the kernel collects registrations, `tcp://HOST:PORT`.
    var registrationEndpoint: String
    /// Threads for tensor work and BLAS in this rank; nil keeps the defaults.
    var threads: Int?

    init(arguments: [String]) throws(ClusterError) {
        var endpoint: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let value = index + 1 < arguments.count ? arguments[index + 1] : nil
            switch argument {
            case "--register":
                endpoint = value
            case "--threads":
                guard let count = value.flatMap(Int.init), count > 0 else {
                    throw .usage("--threads wants a positive number")
                }
                threads = count
            default:
                throw .usage("unknown argument \(argument)")
            }
            index += 2
        }
        guard let endpoint, endpoint.hasPrefix("tcp://") else {
            throw .usage("--register tcp://HOST:PORT is required")
        }
        registrationEndpoint = endpoint
    }

    /// The kernel's host as written in the registration endpoint.
    var kernelHost: String {
        let address = registrationEndpoint.dropFirst("tcp://".count)
        return String(address.split(separator: ":").dropLast().joined(separator: ":"))
    }

    /// Whether the kernel runs on this machine's loopback: then the rank listens there only.
    var isLoopback: Bool { kernelHost == "127.0.0.1" || kernelHost == "localhost" }

    /// The address the rank's kernel binds.
    var bindAddress: String { isLoopback ? "127.0.0.1" : "0.0.0.0" }

    /// The address the kernel reaches this rank at.
    var advertisedAddress: String {
        isLoopback ? "127.0.0.1" : ProcessInfo.processInfo.hostName
    }
}
