import Testing

@testable import Cluster

@Suite struct LaunchOptionsTests {
    @Test func readsEveryOption() throws {
        let options = try LaunchOptions(
            words: ["4", "--hostfile", "hosts", "--threads-per-rank", "2", "--timeout", "5"])
        #expect(
            options
                == LaunchOptions(
                    processes: 4, hostfile: "hosts", threadsPerRank: 2, timeoutSeconds: 5))
    }

    @Test func refusesWhatIsWrong() {
        #expect(throws: ClusterError.self) { try LaunchOptions(words: []) }
        #expect(throws: ClusterError.self) { try LaunchOptions(words: ["0"]) }
        #expect(throws: ClusterError.self) {
            try LaunchOptions(words: ["2", "--threads-per-rank"])
        }
        #expect(throws: ClusterError.self) { try LaunchOptions(words: ["2", "--bogus", "1"]) }
    }

    @Test func commandForRootOversubscribes() {
        let command = MPIRunCommand.make(
            options: LaunchOptions(processes: 4, threadsPerRank: 1), mpirun: "/usr/bin/mpirun",
            worker: "/w", registration: "tcp://127.0.0.1:5", key: "k", cores: 2, isRoot: true,
            environment: [:])
        #expect(command.arguments.contains("--oversubscribe"))
        #expect(command.arguments.contains("--allow-run-as-root"))
        #expect(command.environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] == "1")
        #expect(command.environment["TRAINBOOK_CLUSTER_KEY"] == "k")
        #expect(
            Array(command.arguments.suffix(5)) == [
                "/w", "--register", "tcp://127.0.0.1:5", "--threads", "1",
            ])
    }

    @Test func commandWithHostfileKeepsItsSlots() {
        let command = MPIRunCommand.make(
            options: LaunchOptions(processes: 64, hostfile: "h"), mpirun: "m", worker: "w",
            registration: "r", key: "k", cores: 2, isRoot: false, environment: [:])
        #expect(!command.arguments.contains("--oversubscribe"))
        #expect(!command.arguments.contains("--allow-run-as-root"))
        #expect(command.environment["OMPI_ALLOW_RUN_AS_ROOT"] == nil)
    }

    /// The allreduce switch and the spin reach every rank (also on other hosts) when set, and
    /// nothing is forwarded that is not set.
    @Test func rankSettingsAreForwardedWhenSet() {
        func forwarded(_ environment: [String: String]) -> [String] {
            let arguments = MPIRunCommand.make(
                options: LaunchOptions(processes: 2, hostfile: "h"), mpirun: "m", worker: "w",
                registration: "r", key: "k", cores: 2, isRoot: false, environment: environment
            ).arguments
            return arguments.indices.dropLast().filter { arguments[$0] == "-x" }.map {
                arguments[$0 + 1]
            }
        }
        #expect(forwarded([:]) == ["TRAINBOOK_CLUSTER_KEY"])
        #expect(
            forwarded(["TRAINBOOK_CLUSTER_ALLREDUCE": "mpi", "TRAINBOOK_CLUSTER_SPIN_US": "100"])
                == [
                    "TRAINBOOK_CLUSTER_KEY", "TRAINBOOK_CLUSTER_ALLREDUCE",
                    "TRAINBOOK_CLUSTER_SPIN_US",
                ])
    }

    @Test func missingMPIRunIsExplained() {
        #expect(throws: ClusterError.self) {
            try MPIRunCommand.findMPIRun(environment: ["PATH": "/nonexistent"])
        }
        let error = ClusterError.mpirunMissing(searched: "PATH=/x")
        #expect(error.description.contains("apt-get install openmpi-bin"))
    }

    @Test func taggedOutputFindsRanks() {
        let log = RankOutputLog()
        log.append(
            "[1,1]<stderr>:boom\n[1,0]<stdout>:fine\nmpirun noticed that process rank 1 with PID 7 on node x exited on signal 9 (Killed).\n",
            from: 3)
        #expect(log.lastLines(of: 1) == ["boom"])
        #expect(log.lastLines(of: 0) == ["fine"])
        let report = CrashReport.deadRank(in: log.allLastLines())
        #expect(report?.rank == 1)
        #expect(report?.cause == "exited on signal 9 (Killed)")
    }
}
