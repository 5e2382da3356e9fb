/// The line a rank's supervisor writes on stderr when the rank's process ends:
/// `trainbook-worker: process rank 1 (pid 4242) exited on signal 9 (Killed)`. mpirun relays it
/// tagged with the rank; the kernel reads it to learn that a rank died and how, as mpirun
/// itself says when it ends a job (the cluster runs with `--enable-recovery`, so that the other
/// ranks live on and a study continues on them).
public enum RankExitLine {
    /// How every exit line starts.
    public static let prefix = "trainbook-worker: process rank "

    /// The line for `rank` (process `pid`) that ended with `cause` ("exited on signal 9
    /// (Killed)", "exited with status 3").
    public static func make(rank: Int, pid: Int32, cause: String) -> String {
        "\(prefix)\(rank) (pid \(pid)) \(cause)"
    }

    /// The cause a line reports, or nil when it is not an exit line.
    public static func cause(in line: String) -> String? {
        guard let start = line.range(of: prefix), let close = line.range(of: ") exited ")
        else { return nil }
        guard start.upperBound <= close.lowerBound else { return nil }
        return "exited " + line[close.upperBound...]
    }
}
