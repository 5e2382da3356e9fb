import Cell
import CellLibrary
import Foundation
import Jupyter
import KernelInterface

/// The cluster in the kernel's cells: `%cluster start N [--hostfile F] [--threads-per-rank T]
/// [--timeout S]`, `%cluster attach DIR [--timeout S]` (ranks started outside the kernel),
/// `%cluster status`, `%cluster stop`, `%cluster restart`, the `%%cluster` cell
/// magic (`%%cluster --root` shows only rank 0's output), and the `cluster` value that
/// `%cluster start` binds.
///
/// ```swift
/// %cluster start 2
/// %%cluster
/// print(rank, worldSize)          // [rank 0] 0 2 / [rank 1] 1 2
/// ```
public enum ClusterBindings {
    static let module = "Cluster"

    /// Registers the magics and the `Cluster` type; `executable` is the kernel's own path, beside
    /// which `trainbook-worker` is looked for.
    public static func install(into registry: Registry, executable: String) {
        registry.type(
            Cluster.self, name: "Cluster", kind: .reference, module: module,
            doc: """
                MPI ranks driven from this kernel (%cluster start N binds `cluster`). \
                %%cluster cells run on every rank.
                """
        ) { type in
            let processes = Param<Int>.labelled("processes")
            let hostfile = Param<String?>.optional("hostfile")
            let threads = Param<Int?>.optional("threadsPerRank")
            type.initializer(
                parameters: [processes, hostfile, threads],
                doc: """
                    Starts the session's cluster, as `%cluster start`, and returns it: \
                    `let cluster = Cluster(processes: 4, hostfile: "hosts")`.
                    """
            ) { arguments in
                let session = arguments.session
                let cluster = session.libraryState { Cluster(executable: executable) }
                var options = LaunchOptions(processes: try arguments[processes])
                guard options.processes > 0 else {
                    throw ClusterError.usage("Cluster(processes:) needs at least 1 process")
                }
                options.hostfile = try arguments[hostfile]
                options.threadsPerRank = try arguments[threads]
                try cluster.start(options, interrupted: { session.interruptFlag.isRaised })
                return try session.wrap(cluster)
            }
            type.property("size", type: "Int", doc: "The number of ranks running.") {
                .int($0.size)
            }
            type.method("status", returns: "Void", doc: "Prints each rank's host, pid and state.") {
                cluster, arguments in
                arguments.session.write(cluster.statusText)
                return .void
            }
            let name = Param<String>.positional("name")
            let value = Param<Value>.positional("value")
            type.method(
                "push", parameters: [name, value], returns: "Void",
                doc: """
                    Binds `name` to `value` on every rank (numbers, strings, arrays, \
                    dictionaries, tensors, models): `cluster.push("lr", 0.01)`.
                    """
            ) { cluster, arguments in
                let session = arguments.session
                let bytes = try ValueTransfer.encode(try arguments[value], session: session)
                try cluster.push(
                    try arguments[name], bytes: bytes,
                    interrupted: { session.interruptFlag.isRaised })
                return .void
            }
            let rank = Param<Int>.labelled("from", default: 0)
            type.method(
                "pull", parameters: [name, rank], returns: "Value",
                doc: """
                    The value of `name` on rank `from` (default 0), into this session; a model \
                    arrives rebuilt with its weights: `let best = cluster.pull("model")`.
                    """
            ) { cluster, arguments in
                let session = arguments.session
                let bytes = try cluster.pull(
                    try arguments[name], from: try arguments[rank],
                    interrupted: { session.interruptFlag.isRaised })
                return try ValueTransfer.decode(bytes, into: nil, session: session)
            }
            type.method("stop", returns: "Void", doc: "Stops every rank.") { cluster, _ in
                cluster.stop()
                return .void
            }
            type.description { cluster in
                cluster.state == .running ? "Cluster(\(cluster.size) ranks)" : "Cluster(stopped)"
            }
        }
        ClusterStudyBindings.install(into: registry)
        registry.magic("cluster") { session, argument, site throws(Failure) in
            let cluster = session.libraryState { Cluster(executable: executable) }
            do throws(ClusterError) {
                return try line(argument, cluster: cluster, session: session)
            } catch {
                throw Failure(.library(name: "ClusterError", message: error.description), at: site)
            }
        }
        registry.cellMagic("cluster") { session, argument, site throws(Failure) in
            let cluster = session.libraryState { Cluster(executable: executable) }
            try cell(argument, cluster: cluster, session: session, site: site)
            return .void
        }
    }

    // MARK: - %cluster

    private static func line(_ argument: String, cluster: Cluster, session: Session)
        throws(ClusterError) -> Value
    {
        let words = argument.split(separator: " ").map(String.init)
        let interrupted = { session.interruptFlag.isRaised }
        switch words.first ?? "status" {
        case "start":
            let options = try LaunchOptions(words: Array(words.dropFirst()))
            try cluster.start(options, interrupted: interrupted)
            bind(cluster, in: session)
            session.write(cluster.statusText)
        case "attach":
            let (directory, timeout) = try attachArguments(Array(words.dropFirst()))
            try cluster.attach(
                directory: directory, timeoutSeconds: timeout, interrupted: interrupted)
            bind(cluster, in: session)
            session.write(cluster.statusText)
        case "restart":
            try cluster.restart(interrupted: interrupted)
            bind(cluster, in: session)
            session.write(cluster.statusText)
        case "stop":
            let wasRunning = cluster.state == .running
            cluster.stop()
            session.write(wasRunning ? "Stopped every rank.\n" : "No cluster was running.\n")
        case "status":
            session.write(cluster.statusText)
        default:
            throw .usage(
                "%cluster takes start, attach, status, stop or restart, not \(words[0]): "
                    + LaunchOptions.usage + ", or " + attachUsage)
        }
        return .void
    }

    private static let attachUsage = "%cluster attach DIRECTORY [--timeout SECONDS]"

    /// The directory and timeout of `%cluster attach DIR [--timeout S]` (a leading `~/` is the
    /// home directory).
    private static func attachArguments(_ words: [String]) throws(ClusterError) -> (String, Double)
    {
        guard let first = words.first, !first.hasPrefix("--") else {
            throw .usage("%cluster attach needs the ranks' registration directory: " + attachUsage)
        }
        var timeout = 60.0
        if words.count > 1 {
            guard words.count == 3, words[1] == "--timeout", let seconds = Double(words[2]),
                seconds > 0, seconds <= 86_400
            else {
                throw .usage(
                    "%cluster attach takes only --timeout SECONDS after the directory: "
                        + attachUsage)
            }
            timeout = seconds
        }
        return ((first as NSString).expandingTildeInPath, timeout)
    }

    private static func bind(_ cluster: Cluster, in session: Session) {
        if let value = try? session.wrap(cluster) { session.defineGlobal("cluster", value) }
    }

    // MARK: - %%cluster

    private static func cell(
        _ argument: String, cluster: Cluster, session: Session, site: SourceLocation
    ) throws(Failure) {
        // The options line, when the first line has any ("--root"); the rest is the cell.
        var code = argument
        var rootOnly = false
        if argument.hasPrefix("--") {
            let firstLine = argument.prefix { $0 != "\n" }
            code = String(argument.dropFirst(firstLine.count))
            for option in firstLine.split(separator: " ") {
                guard option == "--root" else {
                    throw Failure(
                        .library(
                            name: "ClusterError",
                            message: "%%cluster takes --root (only rank 0's output), not \(option)"),
                        at: site)
                }
                rootOnly = true
            }
        }
        let output = ClusterCellOutput(
            write: { text, stream in session.write(text, to: stream) },
            display: { bundle in session.display(bundle) })
        let result: ClusterCellResult
        do throws(ClusterError) {
            result = try cluster.run(
                code, rootOnly: rootOnly, output: output,
                interrupted: { session.interruptFlag.isRaised })
        } catch {
            throw Failure(.library(name: "ClusterError", message: error.description), at: site)
        }
        if result.interrupted { throw Failure(.interrupted, at: site) }
        guard let first = result.errors.first else { return }
        for (rank, error) in result.errors {
            let traceback = error.traceback.map { "[rank \(rank)] \($0)" }.joined(separator: "\n")
            session.write(traceback + "\n", to: .stderr)
        }
        let others = result.errors.dropFirst().map { "rank \($0.rank)" }
        throw Failure(
            .library(
                name: first.error.name,
                message: "on rank \(first.rank): \(first.error.value)"
                    + (others.isEmpty ? "" : " (also failed: \(others.joined(separator: ", ")))")),
            at: site)
    }
}
