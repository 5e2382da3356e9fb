import Cluster
import Foundation

/// The command line of `trainbook-worker`: as `%cluster start` writes it
/// (`--register tcp://HOST:PORT`), or as a user writes it to start ranks outside the kernel
/// with `mpirun` or `srun` (`--registration-dir DIR`, then `%cluster attach DIR`).
struct WorkerOptions {
    /// The environment variable that carries the cluster's message key (never the command
    /// line, which `ps` shows).
    static let keyVariable = "TRAINBOOK_CLUSTER_KEY"

    /// Where the kernel collects registrations, `tcp://HOST:PORT`; nil with a directory.
    var registrationEndpoint: String?
    /// The directory each rank writes its registration file to (`RegistrationDirectory`).
    var registrationDirectory: String?
    /// The host name the kernel reaches this rank at, with a directory (default: this
    /// machine's name; `127.0.0.1` keeps the rank on loopback).
    var advertisedHost: String?
    /// Threads for tensor work and BLAS in this rank; nil keeps the defaults.
    var threads: Int?

    init(arguments: [String]) throws(ClusterError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let value = index + 1 < arguments.count ? arguments[index + 1] : nil
            switch argument {
            case "--register":
                registrationEndpoint = value
            case "--registration-dir":
                registrationDirectory = value
            case "--advertise":
                advertisedHost = value
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
        switch (registrationEndpoint, registrationDirectory) {
        case (let endpoint?, nil):
            guard endpoint.hasPrefix("tcp://") else {
                throw .usage("--register wants tcp://HOST:PORT, not \(endpoint)")
            }
        case (nil, let directory?):
            guard !directory.isEmpty else { throw .usage("--registration-dir wants a directory") }
        default:
            throw .usage("give one of --register tcp://HOST:PORT or --registration-dir DIR")
        }
    }

    /// The kernel's host as written in the registration endpoint, or the host to advertise.
    var kernelHost: String {
        guard let endpoint = registrationEndpoint else { return advertisedHost ?? "" }
        let address = endpoint.dropFirst("tcp://".count)
        return String(address.split(separator: ":").dropLast().joined(separator: ":"))
    }

    /// Whether the kernel runs on this machine's loopback: then the rank listens there only.
    var isLoopback: Bool { kernelHost == "127.0.0.1" || kernelHost == "localhost" }

    /// The address the rank's kernel binds.
    var bindAddress: String { isLoopback ? "127.0.0.1" : "0.0.0.0" }

    /// The address the kernel reaches this rank at.
    var advertisedAddress: String {
        isLoopback ? "127.0.0.1" : advertisedHost ?? ProcessInfo.processInfo.hostName
    }
}
