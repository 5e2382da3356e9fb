import Foundation
import Jupyter
import Synchronization

/// Pings every rank's heartbeat channel from a thread of the kernel and tells which rank has
/// been silent too long. A rank answers its heartbeat from a thread of its own, also while a
/// cell computes or waits in a collective; silence means its process is gone or stopped together
/// with its supervisor (a lost machine, a rank frozen with SIGSTOP, ranks attached from outside
/// the kernel), which mpirun's output would never report.
///
/// ```swift
/// let heartbeat = RankHeartbeat(clients: [(0, client0), (1, client1)])
/// if let (rank, seconds) = heartbeat.silentRank() { … }
/// heartbeat.stop()
/// ```
final class RankHeartbeat: @unchecked Sendable {
    // Unchecked: `lastAnswer` is a Mutex, `isRunning` atomic; the clients' `ping` makes a
    // socket of its own in the client's (thread-safe) ZeroMQ context.

    /// Silence longer than this makes a rank count as gone.
    let limit: Duration
    private let lastAnswer: Mutex<[Int: ContinuousClock.Instant]>
    private let isRunning = Atomic<Bool>(true)
    private let ended = DispatchSemaphore(value: 0)

    /// Starts pinging each of `clients` every `interval`; a rank silent for `limit` is reported
    /// by `silentRank()`.
    init(
        clients: [(rank: Int, client: KernelClient)], interval: Duration = .seconds(1),
        limit: Duration = RankHeartbeat.defaultLimit
    ) {
        self.limit = limit
        let now = ContinuousClock.now
        lastAnswer = Mutex(Dictionary(uniqueKeysWithValues: clients.map { ($0.rank, now) }))
        let thread = Thread { [self] in
            while isRunning.load(ordering: .relaxed) {
                for (rank, client) in clients where isRunning.load(ordering: .relaxed) {
                    if client.ping(timeout: interval) {
                        let answered = ContinuousClock.now
                        lastAnswer.withLock { $0[rank] = answered }
                    }
                }
                Thread.sleep(forTimeInterval: RankHeartbeat.seconds(interval))
            }
            ended.signal()
        }
        thread.name = "cluster heartbeat"
        thread.start()
    }

    /// How long a rank may stay silent: `TRAINBOOK_CLUSTER_HEARTBEAT_SECONDS`, else 10 s (a
    /// busy machine can delay an answer by seconds; a lost rank is still found within a cell).
    static var defaultLimit: Duration {
        let text = ProcessInfo.processInfo.environment["TRAINBOOK_CLUSTER_HEARTBEAT_SECONDS"]
        guard let seconds = text.flatMap(Double.init), seconds > 0, seconds <= 86_400 else {
            return .seconds(10)
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// The first rank silent for longer than `limit`, with how long it has been silent.
    func silentRank() -> (rank: Int, seconds: Double)? {
        let now = ContinuousClock.now
        let answers = lastAnswer.withLock { $0 }
        for (rank, last) in answers.sorted(by: { $0.key < $1.key })
        where last.duration(to: now) > limit {
            return (rank, Self.seconds(last.duration(to: now)))
        }
        return nil
    }

    /// How long `rank` has been silent, when longer than `limit`.
    func silence(of rank: Int) -> Double? {
        guard let last = lastAnswer.withLock({ $0[rank] }) else { return nil }
        let silent = last.duration(to: .now)
        return silent > limit ? Self.seconds(silent) : nil
    }

    /// What a rank silent for `seconds` is reported as.
    static func silenceCause(seconds: Double) -> String {
        "its kernel has not answered the heartbeat for \(Int(seconds)) s: its process is gone "
            + "or stopped, with its supervisor (a lost machine?)"
    }

    /// Ends the pinging thread (waits for it, at most a few seconds); the owner must call it
    /// (the thread holds this object).
    func stop() {
        guard isRunning.exchange(false, ordering: .relaxed) else { return }
        _ = ended.wait(timeout: .now() + 5)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
