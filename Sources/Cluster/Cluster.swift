import Foundation
import Jupyter
import KernelInterface

/// A set of MPI ranks driven from the kernel: `mpirun -np N trainbook-worker …` started and
/// stopped here; each rank is a Jupyter kernel this object is a client of (ipyparallel's
/// pattern), and the ranks talk to each other through MPI. The kernel itself links no MPI.
///
/// ```swift
/// let cluster = Cluster(executable: CommandLine.arguments[0])
/// try cluster.start(LaunchOptions(processes: 2), interrupted: { false })
/// let result = try cluster.run("print(rank)", rootOnly: false, output: sink, interrupted: { false })
/// cluster.stop()
/// ```
public final class Cluster: @unchecked Sendable {
    // Unchecked: used from the kernel's execution thread only.

    /// Where a cluster is in its life.
    public enum State: Equatable, Sendable {
        /// Never started, or stopped.
        case stopped
        /// Every rank registered and answers.
        case running
        /// The job ended on its own (a rank crashed or was killed); `%cluster restart`.
        case failed(String)
    }

    /// One rank as the kernel sees it.
    struct Rank {
        var registration: RankRegistration
        var client: KernelClient
    }

    /// How the cluster was (last) started.
    public internal(set) var options: LaunchOptions?
    /// Where the cluster is in its life.
    public internal(set) var state = State.stopped
    /// The mpirun this kernel started; nil for ranks attached from outside (`attach`).
    var job: MPIJob?
    var ranks: [Rank] = []
    /// The directory the ranks registered in, when they were started outside the kernel.
    public internal(set) var attachedDirectory: String?
    /// Pings the ranks while the cluster runs (`RankHeartbeat`).
    var heartbeat: RankHeartbeat?
    /// The registration socket, kept bound while the cluster runs: the ranks' lifeline (a rank
    /// exits when it can no longer connect to it, so a killed kernel leaves no ranks behind).
    private var inbox: RegistrationInbox?
    private let executable: String
    private let environment: [String: String]

    /// A cluster that finds `trainbook-worker` beside `executable` (or at `TRAINBOOK_WORKER`).
    public init(
        executable: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.executable = executable
        self.environment = environment
    }

    deinit {
        stop()
    }

    /// The number of ranks running.
    public var size: Int { state == .running ? ranks.count : 0 }

    // MARK: - Starting

    /// Starts `options.processes` ranks and waits until each has registered and answers.
    ///
    /// - Throws: `ClusterError.mpirunMissing` / `.workerMissing` before anything starts;
    ///   `.launchFailed` when mpirun ends early; `.launchTimeout` after `options.timeoutSeconds`
    ///   (the job is then stopped: an unreachable host never hangs the kernel).
    public func start(_ options: LaunchOptions, interrupted: () -> Bool) throws(ClusterError) {
        stop()
        self.options = options
        let mpirun = try MPIRunCommand.findMPIRun(environment: environment)
        let worker = try MPIRunCommand.findWorker(environment: environment, executable: executable)
        let isLocal = options.hostfile == nil
        let inbox = try RegistrationInbox(
            bindAddress: isLocal ? "127.0.0.1" : "0.0.0.0",
            advertisedHost: isLocal ? "127.0.0.1" : ProcessInfo.processInfo.hostName)
        let key = UUID().uuidString + UUID().uuidString
        let command = MPIRunCommand.make(
            options: options, mpirun: mpirun, worker: worker, registration: inbox.endpoint,
            key: key, cores: ProcessInfo.processInfo.activeProcessorCount, isRoot: geteuid() == 0,
            environment: environment)
        let job = try MPIJob(command: command)
        self.job = job
        self.inbox = inbox
        let deadline = ContinuousClock.now + .milliseconds(Int64(options.timeoutSeconds * 1000))
        var registrations: [Int: RankRegistration] = [:]
        do throws(ClusterError) {
            while registrations.count < options.processes {
                if interrupted() {
                    throw .usage("%cluster start was interrupted; the job was stopped")
                }
                if let status = job.exitStatus {
                    throw .launchFailed(status: status, output: job.log.allLastLines())
                }
                if ContinuousClock.now >= deadline {
                    throw .launchTimeout(
                        seconds: options.timeoutSeconds, registered: registrations.count,
                        expected: options.processes, output: job.log.allLastLines())
                }
                guard let registration = try inbox.next(waitingMilliseconds: 100),
                    registration.connection.key == key, registration.size == options.processes,
                    (0..<options.processes).contains(registration.rank)
                else { continue }
                registrations[registration.rank] = registration
            }
            ranks = try connect(
                registrations, count: options.processes, deadline: deadline,
                exitStatus: { job.exitStatus })
        } catch {
            job.terminate()
            self.job = nil
            self.inbox = nil
            ranks = []
            state = .stopped
            throw error
        }
        state = .running
        startHeartbeat()
    }

    /// Clients of the registered ranks 0..<count, each ready (answering) before `deadline`.
    func connect(
        _ registrations: [Int: RankRegistration], count: Int,
        deadline: ContinuousClock.Instant, exitStatus: @escaping @Sendable () -> Int32?
    ) throws(ClusterError) -> [Rank] {
        var connected: [Rank] = []
        for rank in 0..<count {
            guard let registration = registrations[rank] else { continue }
            let client: KernelClient
            do throws(JupyterError) {
                client = try KernelClient(connection: registration.connection)
                client.exitStatus = exitStatus
                let remaining = max(ContinuousClock.now.duration(to: deadline), .seconds(5))
                try client.waitForReady(timeout: remaining)
            } catch {
                for rank in connected { rank.client.close() }
                throw .transport("rank \(rank) does not answer: \(error.description)")
            }
            connected.append(Rank(registration: registration, client: client))
        }
        return connected
    }

    /// Starts pinging the ranks.
    func startHeartbeat() {
        heartbeat?.stop()
        heartbeat = RankHeartbeat(
            clients: ranks.map { (rank: $0.registration.rank, client: $0.client) })
    }

    /// The error for a rank silent longer than the heartbeat allows, if one is; the cluster is
    /// then failed (`noteRankDied`).
    func silentRankError() -> ClusterError? {
        guard let (rank, seconds) = heartbeat?.silentRank() else { return nil }
        return noteRankDied(rank, cause: RankHeartbeat.silenceCause(seconds: seconds))
    }

    /// Stops the ranks (shutdown_request to each, then mpirun ends) and forgets them.
    public func stop() {
        heartbeat?.stop()
        heartbeat = nil
        for rank in ranks {
            _ = try? rank.client.send(.shutdownRequest, content: ["restart": false], on: .control)
        }
        if let job {
            if !job.waitForExit(seconds: 5) { job.terminate() }
        }
        for rank in ranks { rank.client.close() }
        ranks = []
        job = nil
        inbox = nil
        attachedDirectory = nil
        state = .stopped
    }

    /// Stops the ranks and starts as many again, with the same options.
    ///
    /// - Throws: `.usage` for ranks attached from outside, which only their launcher restarts.
    public func restart(interrupted: () -> Bool) throws(ClusterError) {
        if let directory = attachedDirectory {
            throw .usage(
                "the ranks were started outside the kernel (attached from \(directory)): start "
                    + "them again with mpirun or srun, then %cluster attach \(directory)")
        }
        guard let options else { throw .notRunning }
        try start(options, interrupted: interrupted)
    }

    // MARK: - Status

    /// One line per rank: rank, host, pid, state; and mpirun's pid.
    public var statusText: String {
        guard let options else { return "No cluster: start one with %cluster start N.\n" }
        var lines: [String] = []
        switch state {
        case .stopped:
            return "The cluster of \(options.processes) ranks is stopped (%cluster restart).\n"
        case .failed(let reason):
            lines.append("The cluster failed: \(reason)")
            lines.append("Run %cluster restart to start \(options.processes) ranks again.")
            return lines.joined(separator: "\n") + "\n"
        case .running:
            break
        }
        lines.append(
            "\(ranks.count) ranks running ("
                + (attachedDirectory.map { "attached from \($0)" } ?? "mpirun pid \(job?.pid ?? 0)")
                + (options.hostfile.map { ", hostfile \($0)" } ?? "")
                + (options.threadsPerRank.map { ", \($0) threads per rank" } ?? "") + ")")
        let rows = ranks.map { rank in
            [
                String(rank.registration.rank), rank.registration.host,
                String(rank.registration.pid),
                job?.log.exit(of: rank.registration.rank).map { "died (\($0))" }
                    ?? (rank.client.ping() ? "idle" : "not answering"),
            ]
        }
        lines += TextTable.render(header: ["rank", "host", "pid", "state"], rows: rows)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Marks the cluster failed because its job ended; returns the report of the rank that died.
    func noteJobEnded() -> ClusterError {
        let status = job?.exitStatus ?? -1
        let lines = job?.log.allLastLines() ?? []
        let died = CrashReport.deadRank(in: lines)
        let error = ClusterError.rankDied(
            rank: died?.rank ?? -1,
            status: died?.cause ?? "mpirun exited with status \(status)",
            lastLines: died.map { job?.log.lastLines(of: $0.rank) ?? [] } ?? lines)
        heartbeat?.stop()
        heartbeat = nil
        for rank in ranks { rank.client.close() }
        ranks = []
        job = nil
        state = .failed(error.description)
        return error
    }

    /// Ends the job because `rank` died; returns the error that reports it. The cluster is
    /// failed until `%cluster restart`.
    func noteRankDied(_ rank: Int, cause: String) -> ClusterError {
        let error = ClusterError.rankDied(
            rank: rank, status: cause, lastLines: job?.log.lastLines(of: rank) ?? [])
        heartbeat?.stop()
        heartbeat = nil
        job?.terminate()
        for rank in ranks { rank.client.close() }
        ranks = []
        job = nil
        state = .failed(error.description)
        return error
    }
}

/// Left-aligned columns of text.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }
}

/// What mpirun says when a rank dies: "mpirun noticed that process rank 1 with PID 123 on node
/// x exited on signal 9 (Killed)."
enum CrashReport {
    static func deadRank(in lines: [String]) -> (rank: Int, cause: String)? {
        for line in lines {
            guard let range = line.range(of: "process rank ") else { continue }
            let digits = line[range.upperBound...].prefix { $0.isNumber }
            guard let rank = Int(digits) else { continue }
            let cause =
                line.range(of: "exited on ").map { "exited on " + line[$0.upperBound...] }
                ?? line.trimmingCharacters(in: .whitespaces)
            return (rank, cause.trimmingCharacters(in: CharacterSet(charactersIn: ". ")))
        }
        return nil
    }
}
