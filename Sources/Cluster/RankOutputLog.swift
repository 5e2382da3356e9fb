import Synchronization

/// The ranks' own stdout and stderr as `mpirun --tag-output` relays them (`[1,3]<stderr>:text`),
/// beside what cells print (which travels as Jupyter stream messages): the last lines of each
/// rank, to report when it dies, and mpirun's own lines.
final class RankOutputLog: Sendable {
    /// Lines kept per rank.
    static let keptLines = 20

    private struct State {
        var byRank: [Int: [String]] = [:]
        var untagged: [String] = []
        var partial: [Int32: String] = [:]
        var exits: [Int: String] = [:]
    }

    private let state = Mutex(State())

    /// Adds a chunk read from mpirun's descriptor `source` (text may end mid-line).
    func append(_ text: String, from source: Int32) {
        state.withLock { state in
            let buffered = (state.partial[source] ?? "") + text
            var lines = buffered.split(separator: "\n", omittingEmptySubsequences: false)
            state.partial[source] = String(lines.removeLast())
            for line in lines { Self.record(String(line), in: &state) }
        }
    }

    /// The last lines of `rank`'s own output.
    func lastLines(of rank: Int) -> [String] {
        state.withLock { $0.byRank[rank] ?? [] }
    }

    /// How `rank`'s process ended, when its supervisor has said so (`RankExitLine`).
    func exit(of rank: Int) -> String? {
        state.withLock { $0.exits[rank] }
    }

    /// mpirun's own last lines (launch errors), and every rank's last lines, tagged.
    func allLastLines() -> [String] {
        state.withLock { state in
            var lines = state.untagged
            for rank in state.byRank.keys.sorted() {
                lines += (state.byRank[rank] ?? []).map { "[rank \(rank)] \($0)" }
            }
            return lines
        }
    }

    private static func record(_ line: String, in state: inout State) {
        if let (rank, text) = tagged(line) {
            if let cause = RankExitLine.cause(in: text) { state.exits[rank] = cause }
            state.byRank[rank, default: []].append(text)
            if let count = state.byRank[rank]?.count, count > keptLines {
                state.byRank[rank]?.removeFirst(count - keptLines)
            }
        } else if !line.isEmpty {
            state.untagged.append(line)
            if state.untagged.count > 4 * keptLines { state.untagged.removeFirst() }
        }
    }

    /// `[1,3]<stderr>:text` -> (3, "text").
    static func tagged(_ line: String) -> (Int, String)? {
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return nil }
        let inside = line[line.index(after: line.startIndex)..<close]
        guard let comma = inside.lastIndex(of: ","),
            let rank = Int(inside[inside.index(after: comma)...])
        else { return nil }
        var rest = line[line.index(after: close)...]
        if rest.hasPrefix("<"), let end = rest.firstIndex(of: ">") {
            rest = rest[rest.index(after: end)...]
        }
        if rest.hasPrefix(":") { rest = rest.dropFirst() }
        return (rank, String(rest))
    }
}
