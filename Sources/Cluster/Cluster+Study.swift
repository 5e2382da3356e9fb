import Foundation
import Jupyter
import KernelInterface
import Tune

/// How a study on the cluster ended, besides its trials.
public struct ClusterStudyResult: Equatable {
    /// Whether the user interrupted it (every busy rank was asked to stop).
    public var interrupted = false
    /// The ranks that died meanwhile (`ClusterError.rankDied`, in the order they died); the
    /// cluster is then failed and wants `%cluster restart`.
    public var deaths: [ClusterError] = []
}

extension Cluster {
    /// Runs up to `count` trials of `study`, each in one rank's session, as many at once as
    /// there are ranks (protocol/cluster.md, "Studies"): rank k gets
    /// `_clusterTrial(number: n, objectives: d) SOURCE`, where SOURCE is the objective closure as
    /// written; its trial asks the study here for every parameter, report and trial-pruning
    /// decision over the stdin channel (`TrialRequest`), and its last request hands over the
    /// objective's value. The study, its sampler, pruner and journal never leave the kernel.
    ///
    /// A rank that dies fails its trial; the study goes on with the others. A rank's error fails
    /// its trial, except a name the rank lacks that the kernel's session has (`kernelHas`), which
    /// stops the study with `ClusterError.missingOnRank`. When `interrupted()` turns true every
    /// busy rank is interrupted; the call returns once each has stopped, its trial interrupted.
    ///
    /// - Throws: `ClusterError.notRunning`, `.missingOnRank`, `.rankDied` when mpirun itself
    ///   ends, `.transport`; `TuneError` from the study (its journal).
    public func optimize(
        _ study: Study, trials count: Int, objective source: String, output: ClusterCellOutput,
        kernelHas: (String) -> Bool, interrupted: () -> Bool
    ) throws -> ClusterStudyResult {
        guard state == .running else { throw ClusterError.notRunning }
        try study.prepareToAsk()
        var result = ClusterStudyResult()
        var idle = ranks.indices.map { $0 }
        var running: [RankTrial] = []
        var started = 0
        var missing: ClusterError?
        while true {
            if interrupted(), !result.interrupted {
                result.interrupted = true
                for trial in running { try? trial.run.client.interrupt() }
            }
            for position in idle.indices.reversed() {
                let rank = ranks[idle[position]].registration.rank
                guard let death = death(of: rank, in: job, output: output) else { continue }
                idle.remove(at: position)
                result.deaths.append(death)
            }
            while !result.interrupted, missing == nil, started < count, study.canAsk,
                let index = idle.first
            {
                idle.removeFirst()
                let rank = ranks[index].registration.rank
                let trial = try study.ask(worker: "rank \(rank)")
                started += 1
                let code =
                    "_clusterTrial(number: \(trial.number), objectives: \(study.directions.count)) "
                    + source
                let header: MessageHeader
                do throws(JupyterError) {
                    header = try ranks[index].client.send(
                        .executeRequest, content: ExecuteRequest(code: code, allowStdin: true).json)
                } catch {
                    try study.tell(trial, failed: "cannot reach rank \(rank): \(error)")
                    throw ClusterError.transport(
                        "cannot send trial \(trial.number) to rank \(rank)")
                }
                running.append(
                    RankTrial(
                        index: index, trial: trial,
                        run: RankRun(
                            rank: rank, client: ranks[index].client, header: header,
                            isShown: false)))
            }
            if running.isEmpty { break }
            if job?.exitStatus != nil {
                for trial in running { try study.tell(trial.trial, failed: "the cluster ended") }
                throw noteJobEnded()
            }
            for position in running.indices.reversed() {
                let rank = running[position].run.rank
                guard let death = death(of: rank, in: job, output: output),
                    case .rankDied(_, let cause, _) = death
                else { continue }
                result.deaths.append(death)
                try study.tell(running[position].trial, failed: "rank \(rank) died (\(cause))")
                running.remove(at: position)
            }
            let slice = max(1, 20 / max(1, running.count))
            for position in running.indices {
                try pump(&running[position], study: study, output: output, slice: slice)
            }
            for position in running.indices.reversed() where running[position].run.isFinished {
                var finished = running.remove(at: position)
                finished.run.flush(rootOnly: false, output: output)
                try settle(
                    finished, study: study, interrupted: result.interrupted, kernelHas: kernelHas,
                    output: output, missing: &missing)
                idle.append(finished.index)
            }
        }
        if let missing { throw missing }
        if let first = result.deaths.first, case .rankDied(let rank, let status, _) = first {
            // The dead rank's peers are out of step for collectives: the cluster needs a restart.
            _ = noteRankDied(rank, cause: status)
        }
        return result
    }

    /// The report of `rank`'s death, written to stderr, if its supervisor has said it died or
    /// it has stopped answering its heartbeat.
    private func death(of rank: Int, in job: MPIJob?, output: ClusterCellOutput) -> ClusterError? {
        let cause: String
        if let exit = job?.log.exit(of: rank) {
            cause = exit
        } else if let seconds = heartbeat?.silence(of: rank) {
            cause = RankHeartbeat.silenceCause(seconds: seconds)
        } else {
            return nil
        }
        let death = ClusterError.rankDied(
            rank: rank, status: cause, lastLines: job?.log.lastLines(of: rank) ?? [])
        output.write(death.description + "\n", .stderr)
        return death
    }

    /// Reads what one rank sent since the last look: output, its reply, and its trial's
    /// requests, each answered by the study at once.
    private func pump(
        _ running: inout RankTrial, study: Study, output: ClusterCellOutput, slice: Int
    ) throws {
        let received: (Channel, Message)?
        do throws(JupyterError) {
            received = try running.run.client.receiveAny(
                of: [.iopub, .shell, .stdin], timeout: .milliseconds(slice))
        } catch {
            throw ClusterError.transport("rank \(running.run.rank): \(error.description)")
        }
        guard let (channel, message) = received else { return }
        guard channel == .stdin else {
            running.run.handle(message, on: channel, rootOnly: false, output: output)
            return
        }
        guard message.type == .inputRequest,
            message.parentHeader?.messageId == running.run.header.messageId
        else { return }
        let answer: TrialAnswer
        if let prompt = try? message.decode(InputRequest.self).prompt,
            let json = try? JSONValue(parsing: prompt), let request = TrialRequest(json: json)
        {
            answer = study.answer(request, for: running.trial)
        } else {
            answer = .refused("a rank's trial asked something that is not a trial request")
        }
        let client = running.run.client
        let reply = Message(
            header: client.session.header(for: .inputReply), parent: message.header,
            content: InputReply(value: answer.json.jsonString()).json)
        do throws(JupyterError) {
            try client.sendFrames(client.encode(reply), on: .stdin)
        } catch {
            throw ClusterError.transport(
                "cannot answer rank \(running.run.rank): \(error.description)")
        }
    }

    /// Ends a trial whose rank has replied and gone idle, as its reply says.
    private func settle(
        _ finished: RankTrial, study: Study, interrupted: Bool, kernelHas: (String) -> Bool,
        output: ClusterCellOutput, missing: inout ClusterError?
    ) throws {
        let rank = finished.run.rank
        guard let error = finished.run.error else {
            try study.tell(finished.trial, failed: "rank \(rank) returned no value")
            return
        }
        if interrupted {
            try study.tellInterrupted(finished.trial)
            return
        }
        if error.name == "NameError", let name = Self.undefinedName(in: error.value),
            kernelHas(name)
        {
            missing = missing ?? .missingOnRank(name: name, rank: rank)
        }
        try study.tell(finished.trial, failed: "on rank \(rank): \(error.name): \(error.value)")
        output.write(
            "[rank \(rank)] trial \(finished.trial.number) failed: \(error.name): \(error.value)\n",
            .stderr)
    }

    /// The name in "cannot find 'x' in scope".
    static func undefinedName(in message: String) -> String? {
        guard let start = message.range(of: "cannot find '"),
            let end = message[start.upperBound...].firstIndex(of: "'")
        else { return nil }
        return String(message[start.upperBound..<end])
    }
}

/// A trial running on one rank: the rank (its index in `ranks`), the study's trial and the
/// rank's execute request.
struct RankTrial {
    let index: Int
    let trial: Trial
    var run: RankRun
}
