import Testing

@testable import Cluster

/// How the kernel learns that a rank died while mpirun keeps the others running
/// (`--enable-recovery`): the rank's supervisor writes one line, mpirun relays it tagged.
@Suite struct RankExitTests {
    @Test func theSupervisorsLineSaysHowTheRankEnded() {
        let line = RankExitLine.make(rank: 1, pid: 4242, cause: "exited on signal 9 (Killed)")
        #expect(line == "trainbook-worker: process rank 1 (pid 4242) exited on signal 9 (Killed)")
        #expect(RankExitLine.cause(in: line) == "exited on signal 9 (Killed)")
        #expect(RankExitLine.cause(in: "trainbook-worker: the kernel is gone; exiting") == nil)
        #expect(RankExitLine.cause(in: "print(\"exited on\")") == nil)
    }

    @Test func theLogKeepsARanksExitBeyondItsLastLines() {
        let log = RankOutputLog()
        log.append(
            "[1,0]<stdout>:working\n[1,1]<stderr>:trainbook-worker: process rank 1 ", from: 4)
        #expect(log.exit(of: 1) == nil)
        log.append("(pid 7) exited on signal 9 (Killed)\n", from: 4)
        for index in 0..<(RankOutputLog.keptLines + 5) {
            log.append("[1,1]<stdout>:later \(index)\n", from: 4)
        }
        #expect(log.exit(of: 1) == "exited on signal 9 (Killed)")
        #expect(log.exit(of: 0) == nil)
        // mpirun's own report of a dead rank and the supervisor's read the same way.
        let report = CrashReport.deadRank(
            in: ["[rank 1] trainbook-worker: process rank 1 (pid 7) exited on signal 9 (Killed)"])
        #expect(report?.rank == 1)
        #expect(report?.cause == "exited on signal 9 (Killed)")
    }

    @Test func ranksRunWithRecoverySoThatADeadRankLeavesTheOthers() {
        let command = MPIRunCommand.make(
            options: LaunchOptions(processes: 2), mpirun: "m", worker: "w", registration: "r",
            key: "k", cores: 2, isRoot: false, environment: [:])
        #expect(command.arguments.contains("--enable-recovery"))
    }

    @Test func aMissingNameIsReadFromTheRanksError() {
        #expect(Cluster.undefinedName(in: "cannot find 'learningRate' in scope") == "learningRate")
        #expect(
            Cluster.undefinedName(in: "cannot find 'lr' in scope; did you mean 'l2'?") == "lr")
        #expect(Cluster.undefinedName(in: "index 5 is out of range") == nil)
        let error = ClusterError.missingOnRank(name: "lr", rank: 1)
        #expect(error.description.contains("cluster.push(\"lr\", lr)"))
        #expect(error.description.contains("rank 1"))
    }
}
