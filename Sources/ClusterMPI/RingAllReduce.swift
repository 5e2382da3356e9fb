import CMPI
import NN

/// The ring allreduce of floats (`RingSchedule`) over MPI point-to-point messages on a
/// communicator of its own (a duplicate of the world, so its messages never meet anything
/// else): what `MPICommunicator.allReduce` runs on two ranks for tensors of
/// `MPICommunicator.ringElements` floats and more (the only case measured, docs/distributed.md;
/// three ranks or more use `MPI_Iallreduce`).
///
/// Why not `MPI_Allreduce`: a reduction into a separate result (a cell's `allReduce`, whose
/// input must stay as it was) makes Open MPI copy the input into the result first; the ring
/// receives each chunk straight into the result and adds the rank's own values there, so the
/// input is only read. Why not `MPI_Iallreduce`: Open MPI's non-blocking collectives (libnbc)
/// copy an in-place buffer to a temporary and take about 1.7× the blocking one's time at
/// 0.4 MB here; the ring's requests are waited for by the caller's interruptible wait.
final class RingAllReduce {
    private let communicator: MPI_Comm?
    private let rank: Int
    private let size: Int
    /// Where an in-place reduction receives the chunks it reduces (reused; given up after an
    /// interrupted wait, since MPI may still write into it).
    private var scratch = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)

    /// How many runs have started: every rank starts the same runs (the ranks agree on each
    /// first), so each run's messages carry a tag of their own, the same on every rank.
    private var runs = 0
    /// Tags cycle through 1...tagCycle, below the 32,767 that MPI guarantees for MPI_TAG_UB.
    static let tagCycle = 30_000
    /// A scratch buffer larger than this many floats (1 MiB) is freed after its run.
    static let keptScratchElements = 1 << 18
    /// Up to this many floats (1 MiB), two ranks summing swap whole tensors.
    static let exchangeElements = 1 << 18

    /// A ring over `communicator` (which only it uses), as `rank` of `size`.
    init(communicator: MPI_Comm?, rank: Int, size: Int) {
        self.communicator = communicator
        self.rank = rank
        self.size = size
    }

    /// Writes into `result` the element-wise sum (or, when `maximum`, the maximum) over every
    /// rank of each rank's `source` (nil: of `result`'s own values, in place), times `scale`
    /// when given (a mean: each chunk is scaled once, where it is reduced, before it travels).
    /// `source` is only read. `wait` returns once both of a step's two requests (a receive, a
    /// send) have ended. Every rank must call it with the same count (`MPICommunicator` agrees
    /// on it first).
    func run(
        _ source: UnsafeBufferPointer<Float>?, into result: UnsafeMutableBufferPointer<Float>,
        maximum: Bool, scale: Float?,
        wait: (UnsafeMutablePointer<MPI_Request?>) throws(CommunicationError) -> Void
    ) throws(CommunicationError) {
        guard let output = result.baseAddress else { return }
        runs = runs % Self.tagCycle + 1
        let tag = Int32(runs)
        let plan = RingSchedule(count: result.count, ranks: size)
        let input = source?.baseAddress
        guard plan.steps > 0 else {
            if let input { output.update(from: input, count: result.count) }
            if let scale { Self.combine(into: output, nil, count: result.count, scale: scale) }
            return
        }
        // Two ranks summing up to `exchangeElements` swap their whole tensors in one step
        // instead of the ring's two (a+b = b+a exactly, so both still hold the same bits).
        let isExchange = plan.ranks == 2 && !maximum && result.count <= Self.exchangeElements
        let largest = isExchange ? result.count : plan.chunk(0).count
        if input == nil, scratch.count < largest {
            scratch.deallocate()
            scratch = .allocate(capacity: largest)
        }
        let next = Int32(plan.next(of: rank))
        let previous = Int32(plan.previous(of: rank))
        let requests = UnsafeMutablePointer<MPI_Request?>.allocate(capacity: 2)
        defer { requests.deallocate() }
        do {
            if isExchange {
                let (receiving, mine): (UnsafeMutablePointer<Float>, UnsafePointer<Float>) =
                    if let input { (output, input) } else if let base = scratch.baseAddress {
                        (base, UnsafePointer(base))
                    } else {
                        (output, UnsafePointer(output))
                    }
                try exchange(
                    send: input ?? UnsafePointer(output), result.count, receive: receiving,
                    result.count, next: next, previous: previous, tag: tag, requests: requests,
                    wait: wait)
                Self.combine(into: output, mine, count: result.count, scale: scale)
                releaseLargeScratch()
                return
            }
            for step in 0..<plan.steps {
                let (sent, received) = plan.reduceScatter(step: step, rank: rank)
                let sentChunk = plan.chunk(sent)
                let receivedChunk = plan.chunk(received)
                let sending: UnsafePointer<Float> =
                    if step == 0, let input { input + sentChunk.lowerBound } else {
                        UnsafePointer(output + sentChunk.lowerBound)
                    }
                let target = output + receivedChunk.lowerBound
                // In place, the chunk arrives beside the rank's values; into a result, it
                // arrives in the result, beside the input's values.
                let (receiving, mine): (UnsafeMutablePointer<Float>, UnsafePointer<Float>) =
                    if let input {
                        (target, input + receivedChunk.lowerBound)
                    } else if let base = scratch.baseAddress {
                        (base, UnsafePointer(base))
                    } else {
                        (target, UnsafePointer(target))
                    }
                try exchange(
                    send: sending, sentChunk.count, receive: receiving, receivedChunk.count,
                    next: next, previous: previous, tag: tag, requests: requests, wait: wait)
                if maximum {
                    Self.keepMaximum(in: target, mine, count: receivedChunk.count)
                } else {
                    Self.combine(
                        into: target, mine, count: receivedChunk.count,
                        scale: step == plan.steps - 1 ? scale : nil)
                }
            }
            for step in 0..<plan.steps {
                let (sent, received) = plan.allGather(step: step, rank: rank)
                try exchange(
                    send: UnsafePointer(output + plan.chunk(sent).lowerBound),
                    plan.chunk(sent).count,
                    receive: output + plan.chunk(received).lowerBound, plan.chunk(received).count,
                    next: next, previous: previous, tag: tag, requests: requests, wait: wait)
            }
            releaseLargeScratch()
        } catch {
            // An unfinished receive may still write into the scratch buffer: it lives on.
            if input == nil, case .interrupted = error {
                scratch = UnsafeMutableBufferPointer(start: nil, count: 0)
            }
            throw error
        }
    }

    /// Frees a scratch buffer above `keptScratchElements` floats (a large in-place reduction's),
    /// so that it is not held for the rest of the process.
    private func releaseLargeScratch() {
        guard scratch.count > Self.keptScratchElements else { return }
        scratch.deallocate()
        scratch = UnsafeMutableBufferPointer(start: nil, count: 0)
    }

    /// Sends `sendCount` floats to `next` while receiving `receiveCount` from `previous`.
    private func exchange(
        send: UnsafePointer<Float>, _ sendCount: Int, receive: UnsafeMutablePointer<Float>,
        _ receiveCount: Int, next: Int32, previous: Int32, tag: Int32,
        requests: UnsafeMutablePointer<MPI_Request?>,
        wait: (UnsafeMutablePointer<MPI_Request?>) throws(CommunicationError) -> Void
    ) throws(CommunicationError) {
        requests[0] = tb_mpi_request_null()
        requests[1] = tb_mpi_request_null()
        try check(
            MPI_Irecv(
                receive, Int32(receiveCount), tb_mpi_float(), previous, tag, communicator,
                requests))
        try check(
            MPI_Isend(
                send, Int32(sendCount), tb_mpi_float(), next, tag, communicator,
                requests + 1))
        try wait(requests)
    }

    /// `target[i] = (target[i] + other[i]) × scale` for `count` floats (no `other`: nothing
    /// added; no `scale`: not scaled).
    private static func combine(
        into target: UnsafeMutablePointer<Float>, _ other: UnsafePointer<Float>?, count: Int,
        scale: Float?
    ) {
        switch (other, scale) {
        case (let other?, let scale?):
            for index in 0..<count { target[index] = (target[index] + other[index]) * scale }
        case (let other?, nil):
            for index in 0..<count { target[index] += other[index] }
        case (nil, let scale?):
            for index in 0..<count { target[index] *= scale }
        case (nil, nil):
            break
        }
    }

    /// `target[i] = max(target[i], other[i])` for `count` floats.
    private static func keepMaximum(
        in target: UnsafeMutablePointer<Float>, _ other: UnsafePointer<Float>, count: Int
    ) {
        for index in 0..<count where other[index] > target[index] { target[index] = other[index] }
    }

    private func check(_ status: Int32) throws(CommunicationError) {
        guard status == MPI_SUCCESS else {
            throw .transport(operation: "allReduce", reason: MPICommunicator.errorText(status))
        }
    }

    deinit { scratch.deallocate() }
}
