import BenchSupport
import Dispatch
import Foundation
import Tensor

/// What a fork/join of two parts costs: the same two parts of busy work run one after the
/// other on one thread, through `Parallelism.forEachChunk` on two threads (Trainbook's worker
/// pool) and through `DispatchQueue.concurrentPerform` (what the splits used before), with
/// some serial work between splits as in a training step. Wall microseconds per split, the
/// median over rounds whose contestant order rotates; the ratio to one thread is what two
/// threads gain (0.5 at best) or lose (above 1).
enum ForkJoinTiming {
    /// Part and gap sizes, in microseconds of one thread's arithmetic: no work at all (the
    /// bare hand-off), short parts, and the MLP's split products (two halves of ~130 µs with
    /// ~50 µs of serial work between them).
    static let cases: [(part: Double, gap: Double)] = [(0, 0), (10, 10), (50, 20), (130, 50)]

    static func measure(rounds: Int) -> [JSONLine] {
        let unitsPerMicrosecond = calibrate()
        var lines: [JSONLine] = []
        for (partMicroseconds, gapMicroseconds) in cases {
            let part = Int(partMicroseconds * unitsPerMicrosecond)
            let gap = Int(gapMicroseconds * unitsPerMicrosecond)
            let splits = max(
                50, min(5_000, Int(100_000 / max(partMicroseconds + gapMicroseconds, 1))))
            // The two parts' accumulators a cache line apart (no false sharing).
            let sink = UnsafeMutablePointer<Double>.allocate(capacity: 16)
            defer { sink.deallocate() }
            sink.initialize(repeating: 1, count: 16)
            let contestants: [(String, () -> Void)] = [
                ("one_thread", { for index in 0..<2 { busyWork(part, on: sink + 8 * index) } }),
                (
                    "pool",
                    {
                        Parallelism.forEachChunk(
                            count: 2, costPerItem: Parallelism.minimumParallelElements, threads: 2
                        ) { range in
                            for index in range { busyWork(part, on: sink + 8 * index) }
                        }
                    }
                ),
                (
                    "dispatch",
                    {
                        let shared = SinkPointer(pointer: sink)
                        DispatchQueue.concurrentPerform(iterations: 2) { index in
                            busyWork(part, on: shared.pointer + 8 * index)
                        }
                    }
                ),
            ]
            var samples = [String: [Double]]()
            for round in 0..<rounds {
                for offset in 0..<contestants.count {
                    let (name, split) = contestants[(round + offset) % contestants.count]
                    let start = ContinuousClock.now
                    for _ in 0..<splits {
                        busyWork(gap, on: sink)
                        split()
                    }
                    samples[name, default: []].append(secondsSince(start) * 1e6 / Double(splits))
                }
            }
            var line = JSONLine()
            line.add("event", "fork_join")
            line.add("part_microseconds", partMicroseconds)
            line.add("gap_microseconds", gapMicroseconds)
            line.add("splits_per_round", splits)
            line.add("rounds", rounds)
            line.add("work_units_per_microsecond", unitsPerMicrosecond)
            let single = median(samples["one_thread"] ?? [])
            for (name, _) in contestants {
                let value = median(samples[name] ?? [])
                line.add("microseconds_per_split_\(name)", value)
                if name != "one_thread" { line.add("ratio_\(name)_to_one_thread", value / single) }
            }
            line.add("load_average", loadAverage())
            lines.append(line)
        }
        return lines
    }

    /// A pointer the parts write through (each its own element).
    private struct SinkPointer: @unchecked Sendable { let pointer: UnsafeMutablePointer<Double> }

    /// `units` steps of a dependent floating-point recurrence on `value` (read and written
    /// through memory, so the compiler neither drops the work nor moves it past a clock read).
    @inline(never)
    static func busyWork(_ units: Int, on value: UnsafeMutablePointer<Double>) {
        var x = value.pointee
        for _ in 0..<units { x = x * 0.999_999 + 1e-9 }
        value.pointee = x
    }

    /// Units of `busyWork` per microsecond on this thread (the fastest of a few tries).
    static func calibrate() -> Double {
        let value = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        defer { value.deallocate() }
        value.initialize(to: 1)
        var best = 0.0
        for _ in 0..<5 {
            let units = 2_000_000
            let start = ContinuousClock.now
            busyWork(units, on: value)
            best = max(best, Double(units) / (secondsSince(start) * 1e6))
        }
        return best
    }

    private static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
            .map { String($0.prefix(while: { $0 != " " })) } ?? ""
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2]
            : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
