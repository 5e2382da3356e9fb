import Cluster
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process mpirun starts for a rank: it starts the rank itself (this executable again, with
/// `childVariable` set) as its child, passes on the signals mpirun and the user send, and when
/// the rank ends says how on stderr (`RankExitLine`), which only a parent can know. The cluster
/// runs with `--enable-recovery`, so mpirun lets the other ranks live on; this line is how the
/// kernel learns which rank died and of what.
enum RankSupervisor {
    /// Set in the rank's environment: this process is the rank, not its supervisor.
    static let childVariable = "TRAINBOOK_RANK_PROCESS"
    private static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2]

    /// Whether this process is a supervisor (mpirun started it; it is not the rank yet).
    static var isNeeded: Bool {
        ProcessInfo.processInfo.environment[childVariable] == nil
    }

    /// Runs the rank as a child, waits for it and exits as it did.
    static func run() -> Never {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in forwarded { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        defer { posix_spawnattr_destroy(&attributes) }

        var environment = ProcessInfo.processInfo.environment
        environment[childVariable] = "1"
        let arguments = CommandLine.arguments
        let executable =
            Bundle.main.executablePath ?? CommandLine.arguments.first ?? "/proc/self/exe"
        var child: pid_t = 0
        let status = withCStrings(arguments) { argv in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                posix_spawn(&child, executable, nil, &attributes, argv, envp)
            }
        }
        guard status == 0 else {
            say("trainbook-worker: cannot start the rank: \(String(cString: strerror(status)))")
            exit(2)
        }
        let target = child
        let blocked = signals
        let thread = Thread {
            var waited = blocked
            var signal: Int32 = 0
            while sigwait(&waited, &signal) == 0 { kill(target, signal) }
        }
        thread.name = "rank signals"
        thread.start()

        var result: Int32 = 0
        while waitpid(child, &result, 0) < 0, errno == EINTR {}
        let rank = Int(ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_RANK"] ?? "") ?? -1
        let signalled = (result & 0x7f) != 0 && (result & 0x7f) != 0x7f
        if signalled {
            let signal = result & 0x7f
            let name = String(cString: strsignal(signal))
            say(
                RankExitLine.make(
                    rank: rank, pid: child, cause: "exited on signal \(signal) (\(name))"))
            exit(128 + signal)
        }
        let code = (result >> 8) & 0xff
        if code != 0 {
            say(RankExitLine.make(rank: rank, pid: child, cause: "exited with status \(code)"))
        }
        exit(code)
    }

    private static func say(_ line: String) {
        var text = line + "\n"
        text.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// Calls `body` with a NULL-terminated C array of `strings`.
    private static func withCStrings<R>(
        _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R
    ) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}
