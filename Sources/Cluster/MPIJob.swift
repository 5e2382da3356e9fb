import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A running `mpirun` and what it relays of its ranks' own output.
final class MPIJob: @unchecked Sendable {
    // Unchecked: `process` is only started and signalled (Foundation's Process is thread safe for
    // that); the log is a Mutex.
    private let process = Process()
    /// The ranks' own stdout/stderr lines.
    let log = RankOutputLog()
    /// mpirun's process id.
    private(set) var pid: Int32 = 0
    /// util-linux's setsid, which runs a command in a new session (exec, no fork, when the
    /// caller is not a group leader, so the pid is mpirun's).
    private static let setsid = "/usr/bin/setsid"

    /// Starts `command`, with stdin from /dev/null (ssh must not wait for a password), in a
    /// session of its own (through `setsid`): a front end that interrupts the kernel by
    /// signalling its process group must not reach mpirun, which would end the job.
    ///
    /// - Throws: `ClusterError.transport` when the process cannot start.
    init(command: MPIRunCommand) throws(ClusterError) {
        if FileManager.default.isExecutableFile(atPath: Self.setsid) {
            process.executableURL = URL(fileURLWithPath: Self.setsid)
            process.arguments = [command.executable] + command.arguments
        } else {
            process.executableURL = URL(fileURLWithPath: command.executable)
            process.arguments = command.arguments
        }
        process.environment = command.environment
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw .transport("cannot start \(command.executable): \(error)")
        }
        pid = process.processIdentifier
        for pipe in [output, errors] { startReader(pipe.fileHandleForReading) }
    }

    private func startReader(_ handle: FileHandle) {
        let descriptor = handle.fileDescriptor
        let log = self.log
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                log.append(String(decoding: buffer[0..<count], as: UTF8.self), from: descriptor)
            }
            _ = handle
        }
        thread.name = "mpirun output"
        thread.start()
    }

    /// mpirun's exit status once it has ended (a signal as 128 + its number); nil while it runs.
    var exitStatus: Int32? {
        guard !process.isRunning else { return nil }
        return process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Waits up to `seconds` for mpirun to end; true when it has.
    @discardableResult
    func waitForExit(seconds: Double) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while process.isRunning {
            if ContinuousClock.now >= deadline { return false }
            usleep(20_000)
        }
        return true
    }

    /// Ends the job: SIGTERM (mpirun then ends its ranks), SIGKILL after `grace` seconds.
    func terminate(grace: Double = 3) {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        if !waitForExit(seconds: grace) {
            kill(pid, SIGKILL)
            waitForExit(seconds: 2)
        }
    }
}
