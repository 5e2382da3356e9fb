import Foundation

extension Cluster {
    /// Connects to ranks started outside the kernel, by `mpirun` or `srun` (a batch script, a
    /// site's launcher): `trainbook-worker --registration-dir DIR` in each rank writes its
    /// registration to DIR (`RegistrationDirectory`); this waits until every rank of the job
    /// (0..<size, the size the registrations give) has, and each answers, at most
    /// `timeoutSeconds`. The ranks then run cells, collectives, studies as started ones do;
    /// `stop()` ends them (their launcher then ends), and a rank that dies is found by its
    /// silent heartbeat, there being no mpirun here to report it.
    ///
    /// - Throws: `ClusterError.usage` when not every rank registered in time (how many did) or
    ///   the wait was interrupted; `.transport` when a registered rank does not answer (a file
    ///   left from an earlier job: use a fresh directory per job).
    public func attach(directory: String, timeoutSeconds: Double, interrupted: () -> Bool)
        throws(ClusterError)
    {
        stop()
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeoutSeconds * 1000))
        var registrations: [Int: RankRegistration] = [:]
        var size = 0
        while size == 0 || registrations.count < size {
            if interrupted() { throw .usage("%cluster attach was interrupted") }
            if ContinuousClock.now >= deadline {
                throw .usage(
                    "only \(registrations.count) of \(size == 0 ? "the" : String(size)) ranks "
                        + "registered in \(directory) within \(Int(timeoutSeconds)) s: start them "
                        + "with mpirun -np N trainbook-worker --registration-dir \(directory) "
                        + "(or srun), or raise --timeout")
            }
            for registration in RegistrationDirectory.read(directory)
            where registration.size > 0 && (0..<registration.size).contains(registration.rank) {
                if size == 0 { size = registration.size }
                guard registration.size == size else { continue }
                registrations[registration.rank] = registration
            }
            if size == 0 || registrations.count < size { usleep(100_000) }
        }
        ranks = try connect(registrations, count: size, deadline: deadline, exitStatus: { nil })
        options = LaunchOptions(processes: size, timeoutSeconds: timeoutSeconds)
        attachedDirectory = directory
        state = .running
        startHeartbeat()
    }
}
