/// The plan of a ring allreduce over `ranks` processes (Patarasuk & Yuan, 2009; the algorithm
/// of Horovod, NCCL and Open MPI's `ring`): the `count` values are cut into `ranks` chunks of
/// nearly equal size; in `steps` reduce-scatter steps every rank sends one chunk to the next
/// rank and reduces the chunk it receives from the previous one with its own values, so that
/// rank r ends holding chunk (r + 1) mod `ranks` reduced over every rank; in `steps` all-gather
/// steps the reduced chunks travel once round the ring.
///
/// Each chunk is reduced on one rank only, in ring order, and then copied to the others, so
/// every rank ends with bit-identical values (what keeps data-parallel replicas equal). A
/// chunk a rank receives during reduce-scatter has never been written on that rank before, so
/// a reduction into a separate result buffer can receive straight into it and add the rank's
/// own values there: no copy of the input first.
///
/// ```swift
/// let plan = RingSchedule(count: 10, ranks: 3)     // chunks 0..<4, 4..<7, 7..<10
/// plan.reduceScatter(step: 0, rank: 1)            // (send: 1, receive: 0)
/// ```
public struct RingSchedule: Equatable, Sendable {
    /// The number of values reduced.
    public let count: Int
    /// The number of ranks in the ring (at least 1).
    public let ranks: Int

    /// The plan for `count` values over `ranks` ranks (fewer than 1 count as 1).
    public init(count: Int, ranks: Int) {
        self.count = max(0, count)
        self.ranks = max(1, ranks)
    }

    /// The steps of each phase: one fewer than the ranks.
    public var steps: Int { ranks - 1 }

    /// The positions of chunk `index` (0..<ranks): the first `count % ranks` chunks hold one
    /// value more than the others; chunks are empty when there are fewer values than ranks.
    public func chunk(_ index: Int) -> Range<Int> {
        let base = count / ranks
        let extra = count % ranks
        let start = index * base + min(index, extra)
        return start..<start + base + (index < extra ? 1 : 0)
    }

    /// The rank that `rank` sends to.
    public func next(of rank: Int) -> Int { (rank + 1) % ranks }

    /// The rank that `rank` receives from.
    public func previous(of rank: Int) -> Int { (rank + ranks - 1) % ranks }

    /// The chunk `rank` sends and the chunk it receives and reduces at reduce-scatter step
    /// `step` (0..<steps). At step 0 the chunk sent is the rank's own input; later, the chunk
    /// it reduced at the step before.
    public func reduceScatter(step: Int, rank: Int) -> (send: Int, receive: Int) {
        (wrapped(rank - step), wrapped(rank - step - 1))
    }

    /// The chunk `rank` sends and the (fully reduced) chunk it receives at all-gather step
    /// `step` (0..<steps).
    public func allGather(step: Int, rank: Int) -> (send: Int, receive: Int) {
        (wrapped(rank + 1 - step), wrapped(rank - step))
    }

    private func wrapped(_ index: Int) -> Int { ((index % ranks) + ranks) % ranks }
}
