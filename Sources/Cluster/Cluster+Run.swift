import Foundation
import Jupyter
import KernelInterface

/// Where a cluster cell's output goes in the kernel: the kernel cell's own streams and displays.
public struct ClusterCellOutput {
    /// Appends text to the cell's stdout or stderr.
    public var write: (String, StandardStream) -> Void
    /// Shows a bundle (rank 0's displays and result).
    public var display: (MimeBundle) -> Void

    /// Creates an output.
    public init(
        write: @escaping (String, StandardStream) -> Void, display: @escaping (MimeBundle) -> Void
    ) {
        self.write = write
        self.display = display
    }
}

/// How a cell ran on the ranks.
public struct ClusterCellResult: Equatable {
    /// The ranks whose cell failed, with their errors, in rank order.
    public var errors: [(rank: Int, error: ExecutionError)]
    /// Whether the cell was interrupted (every rank was asked to stop).
    public var interrupted: Bool

    /// Equal when the same ranks failed the same way and both were (or were not) interrupted.
    public static func == (lhs: ClusterCellResult, rhs: ClusterCellResult) -> Bool {
        lhs.interrupted == rhs.interrupted && lhs.errors.map(\.rank) == rhs.errors.map(\.rank)
            && lhs.errors.map(\.error) == rhs.errors.map(\.error)
    }
}

extension Cluster {
    /// Runs `code` on every rank at once (or only on rank `chosen`). Each rank's stdout and stderr reach `output` as they
    /// come, line by line, prefixed `[rank k] ` (only rank 0's, unprefixed, when `rootOnly`);
    /// rank 0's displays and result are shown. When `interrupted()` turns true every rank is
    /// sent interrupt_request, and the call returns once each has stopped.
    ///
    /// - Throws: `ClusterError.notRunning`, or `.rankDied` when the job ends meanwhile (a rank
    ///   crashed or was killed: which one, how, and its last lines of output) or a rank stops
    ///   answering its heartbeat.
    public func run(
        _ code: String, rootOnly: Bool, output: ClusterCellOutput, interrupted: () -> Bool,
        onRank chosen: Int? = nil
    ) throws(ClusterError) -> ClusterCellResult {
        guard state == .running else { throw .notRunning }
        var runs: [RankRun] = []
        for rank in ranks where chosen == nil || chosen == rank.registration.rank {
            do throws(JupyterError) {
                let header = try rank.client.send(
                    .executeRequest, content: ExecuteRequest(code: code).json)
                runs.append(
                    RankRun(
                        rank: rank.registration.rank, client: rank.client, header: header,
                        isShown: rank.registration.rank == (chosen ?? 0)))
            } catch {
                throw .transport("cannot send the cell to rank \(rank.registration.rank): \(error)")
            }
        }
        var interruptSent = false
        while runs.contains(where: { !$0.isFinished }) {
            if interrupted(), !interruptSent {
                interruptSent = true
                for run in runs where !run.isFinished { try? run.client.interrupt() }
            }
            if let job {
                if job.exitStatus != nil { throw noteJobEnded() }
                if let dead = ranks.first(where: { job.log.exit(of: $0.registration.rank) != nil })
                {
                    let rank = dead.registration.rank
                    throw noteRankDied(rank, cause: job.log.exit(of: rank) ?? "exited")
                }
            }
            if let silent = silentRankError() { throw silent }
            let slice = max(1, 20 / max(1, runs.count))
            for index in runs.indices where !runs[index].isFinished {
                let received: (Channel, Message)?
                do throws(JupyterError) {
                    received = try runs[index].client.receiveAny(
                        of: [.iopub, .shell], timeout: .milliseconds(slice))
                } catch {
                    if job?.exitStatus != nil { throw noteJobEnded() }
                    throw .transport("rank \(runs[index].rank): \(error.description)")
                }
                guard let (channel, message) = received else { continue }
                runs[index].handle(message, on: channel, rootOnly: rootOnly, output: output)
            }
        }
        var result = ClusterCellResult(errors: [], interrupted: interruptSent)
        for var run in runs {
            run.flush(rootOnly: rootOnly, output: output)
            if let error = run.error { result.errors.append((run.rank, error)) }
        }
        return result
    }
}

/// One rank's part of a cluster cell: its request, reply, idle status and partial lines.
struct RankRun {
    let rank: Int
    let client: KernelClient
    let header: MessageHeader
    var reply: ExecuteReply?
    var isIdle = false
    var error: ExecutionError?
    private var partial: [StandardStream: String] = [:]

    /// Whether this rank's displays show, and with `rootOnly` its streams (rank 0, or the
    /// one rank a cell runs on).
    let isShown: Bool

    init(rank: Int, client: KernelClient, header: MessageHeader, isShown: Bool) {
        self.rank = rank
        self.client = client
        self.header = header
        self.isShown = isShown
    }

    var isFinished: Bool { reply != nil && isIdle }

    mutating func handle(
        _ message: Message, on channel: Channel, rootOnly: Bool, output: ClusterCellOutput
    ) {
        guard message.parentHeader?.messageId == header.messageId else { return }
        if channel == .shell {
            reply = try? message.decode(ExecuteReply.self)
            if case .error(let failure)? = reply?.status, error == nil { error = failure }
            return
        }
        switch message.type {
        case .status:
            if (try? message.decode(StatusContent.self))?.state == .idle { isIdle = true }
        case .stream:
            guard let stream = try? message.decode(StreamContent.self) else { return }
            write(stream.text, to: stream.name, rootOnly: rootOnly, output: output)
        case .displayData, .executeResult:
            guard isShown, let display = try? message.decode(DisplayContent.self) else { return }
            output.display(display.bundle)
        case .error:
            if let content = try? message.decode(ErrorContent.self) { error = content.error }
        default:
            break
        }
    }

    /// Writes whole lines with the rank's prefix; keeps a partial last line for later.
    private mutating func write(
        _ text: String, to stream: StandardStream, rootOnly: Bool, output: ClusterCellOutput
    ) {
        if rootOnly {
            if isShown { output.write(text, stream) }
            return
        }
        var lines = (partial[stream, default: ""] + text).split(
            separator: "\n", omittingEmptySubsequences: false)
        partial[stream] = String(lines.removeLast())
        guard !lines.isEmpty else { return }
        output.write(lines.map { "[rank \(rank)] \($0)\n" }.joined(), stream)
    }

    /// Writes what is left of a partial line.
    mutating func flush(rootOnly: Bool, output: ClusterCellOutput) {
        for (stream, text) in partial where !text.isEmpty && !rootOnly {
            output.write("[rank \(rank)] \(text)\n", stream)
        }
        partial = [:]
    }
}
