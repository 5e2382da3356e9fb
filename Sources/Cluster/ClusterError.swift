import Cell

/// Why a cluster could not start, run a cell or stop; each message says what to do.
public enum ClusterError: Error, Equatable, Sendable {
    /// `mpirun` is not on the PATH (nor at `TRAINBOOK_MPIRUN`).
    case mpirunMissing(searched: String)
    /// The `trainbook-worker` executable was not found.
    case workerMissing(searched: [String])
    /// An option of `%cluster` is wrong; the text says which and how to write it.
    case usage(String)
    /// Not every rank registered within the launch timeout.
    case launchTimeout(seconds: Double, registered: Int, expected: Int, output: [String])
    /// `mpirun` ended before every rank registered.
    case launchFailed(status: Int32, output: [String])
    /// A message that claims to be a rank's registration is not one.
    case badRegistration(String)
    /// No cluster is running.
    case notRunning
    /// A rank's kernel stopped answering or its process ended.
    case rankDied(rank: Int, status: String, lastLines: [String])
    /// Sockets or messages failed.
    case transport(String)
    /// A study's objective uses a name that the kernel's session has and a rank's does not.
    case missingOnRank(name: String, rank: Int)
}

extension ClusterError: ReportableError {
    /// ClusterError, the name cells see.
    public var errorName: String { "ClusterError" }

    /// The message.
    public var errorMessage: String { description }
}

extension ClusterError: CustomStringConvertible {
    /// The message cells show.
    public var description: String {
        switch self {
        case .mpirunMissing(let searched):
            return
                "Open MPI's mpirun was not found (searched \(searched)). Install Open MPI on "
                + "every machine of the cluster: apt-get install openmpi-bin libopenmpi-dev "
                + "(Debian/Ubuntu), or set TRAINBOOK_MPIRUN to the mpirun to use"
        case .workerMissing(let searched):
            return
                "trainbook-worker was not found (looked at \(searched.joined(separator: ", "))); "
                + "build it with swift build --product trainbook-worker, or set "
                + "TRAINBOOK_WORKER to its path"
        case .usage(let text):
            return text
        case .launchTimeout(let seconds, let registered, let expected, let output):
            return
                "only \(registered) of \(expected) ranks started within \(Self.seconds(seconds)) s "
                + "(an unreachable host in the hostfile, or a slow start: raise --timeout); "
                + "the job was stopped" + Self.tail(output)
        case .launchFailed(let status, let output):
            return "mpirun exited with status \(status) before every rank started"
                + Self.tail(output)
        case .badRegistration(let text):
            return "a message to the cluster's registration socket is not a rank's: \(text)"
        case .notRunning:
            return "no cluster is running: start one with %cluster start N"
        case .rankDied(let rank, let status, let lines):
            return "rank \(rank) died (\(status))" + Self.tail(lines)
        case .transport(let text):
            return text
        case .missingOnRank(let name, let rank):
            return
                "the objective uses '\(name)', which is defined in the kernel's session but not "
                + "on rank \(rank): the objective runs in each rank's own session. Send the value "
                + "with cluster.push(\"\(name)\", \(name)), or define it in a %%cluster cell"
        }
    }

    private static func tail(_ lines: [String]) -> String {
        lines.isEmpty ? "" : "; its last output:\n" + lines.suffix(12).joined(separator: "\n")
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
