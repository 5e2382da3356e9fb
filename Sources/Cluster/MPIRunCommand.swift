import Foundation

/// The `mpirun` command line and environment that start a cluster's ranks.
///
/// - As root (containers, CI) Open MPI refuses to start unless told:
///   `--allow-run-as-root` and `OMPI_ALLOW_RUN_AS_ROOT(_CONFIRM)=1`.
/// - More ranks than this machine's cores need `--oversubscribe` (only without a hostfile,
///   whose slots say what each machine takes).
/// - `--bind-to none`: a rank with several threads must not be pinned to one core.
/// - `--tag-output`: each line of the ranks' own stdout/stderr comes tagged `[job,rank]<stderr>:`,
///   which is how a crashed rank's last lines are found.
/// - `--enable-recovery`: a rank that dies does not end the job; the others live on (a study
///   continues on them), and the rank's supervisor says how it died (`RankExitLine`).
/// - ssh never prompts (`BatchMode`) and gives up on a host after 10 s.
/// - The settings every rank must share (`forwardedVariables`), when set, go to every rank with
///   `-x`, also to ranks on other machines (whose environment is not the kernel's).
struct MPIRunCommand: Equatable {
    /// The environment variable naming a particular `mpirun`.
    static let mpirunVariable = "TRAINBOOK_MPIRUN"
    /// The environment variable naming a particular `trainbook-worker`.
    static let workerVariable = "TRAINBOOK_WORKER"
    /// The environment variable that hands the ranks the cluster's key.
    static let keyVariable = "TRAINBOOK_CLUSTER_KEY"
    /// The ranks' settings read from the environment: `TRAINBOOK_CLUSTER_ALLREDUCE=mpi` (which
    /// allreduce the ranks run: all must choose the same, else their messages never match) and
    /// `TRAINBOOK_CLUSTER_SPIN_US` (how long waits spin).
    static let forwardedVariables = ["TRAINBOOK_CLUSTER_ALLREDUCE", "TRAINBOOK_CLUSTER_SPIN_US"]

    var executable: String
    var arguments: [String]
    var environment: [String: String]

    /// The command for `options`.
    static func make(
        options: LaunchOptions, mpirun: String, worker: String, registration: String, key: String,
        cores: Int, isRoot: Bool, environment base: [String: String]
    ) -> MPIRunCommand {
        var arguments = ["-np", String(options.processes)]
        if let hostfile = options.hostfile {
            arguments += ["--hostfile", hostfile]
        } else if options.processes > cores {
            arguments.append("--oversubscribe")
        }
        if isRoot { arguments.append("--allow-run-as-root") }
        arguments += [
            "--bind-to", "none", "--tag-output", "--enable-recovery", "-x", keyVariable,
        ]
        for name in forwardedVariables where base[name] != nil { arguments += ["-x", name] }
        arguments += [worker, "--register", registration]
        if let threads = options.threadsPerRank { arguments += ["--threads", String(threads)] }
        var environment = base
        environment[keyVariable] = key
        if isRoot {
            environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
            environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        }
        if environment["OMPI_MCA_plm_rsh_args"] == nil {
            environment["OMPI_MCA_plm_rsh_args"] = "-o BatchMode=yes -o ConnectTimeout=10"
        }
        return MPIRunCommand(executable: mpirun, arguments: arguments, environment: environment)
    }

    /// `mpirun`: `TRAINBOOK_MPIRUN`, else the first on `PATH`.
    ///
    /// - Throws: `ClusterError.mpirunMissing`.
    static func findMPIRun(environment: [String: String]) throws(ClusterError) -> String {
        if let chosen = environment[mpirunVariable] {
            guard isExecutable(chosen) else { throw .mpirunMissing(searched: chosen) }
            return chosen
        }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/mpirun"
            if isExecutable(candidate) { return candidate }
        }
        throw .mpirunMissing(searched: "PATH=\(path)")
    }

    /// `trainbook-worker`: `TRAINBOOK_WORKER`, else beside the running executable.
    ///
    /// - Throws: `ClusterError.workerMissing`.
    static func findWorker(environment: [String: String], executable: String) throws(ClusterError)
        -> String
    {
        var candidates: [String] = []
        if let chosen = environment[workerVariable] { candidates.append(chosen) }
        let directory = (executable as NSString).deletingLastPathComponent
        candidates.append((directory as NSString).appendingPathComponent("trainbook-worker"))
        for candidate in candidates where isExecutable(candidate) { return candidate }
        throw .workerMissing(searched: candidates)
    }

    private static func isExecutable(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && !isDirectory.boolValue && FileManager.default.isExecutableFile(atPath: path)
    }
}
