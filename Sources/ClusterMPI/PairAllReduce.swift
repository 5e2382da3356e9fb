import CMPI
import NN

/// The sum (or mean) of two ranks' floats by swapping whole tensors over MPI point-to-point
/// messages on a communicator of its own (a duplicate of the world, so its messages never meet
/// anything else): what `MPICommunicator.allReduce` runs on exactly two ranks for
/// `MPICommunicator.pairElements` floats (4,096 to 262,144, 16 KiB to 1 MiB). Everything else is
/// Open MPI's `MPI_Iallreduce` (docs/distributed.md: measured equal to Open MPI's ring above 1
/// MiB, and this has only ever run with 2 ranks on one host).
///
/// Why not `MPI_Iallreduce` here: Open MPI's non-blocking collectives (libnbc) copy an
/// in-place buffer to a temporary, and a reduction into a separate result copies the input
/// first; here the peer's tensor arrives straight in the result and the rank's own values are
/// added there, so the input is only read. Both ranks hold the same bits (a + b = b + a).
final class PairAllReduce {
    private let communicator: MPI_Comm?
    private let peer: Int32
    /// Where an in-place reduction receives the peer's values (reused; given up after an
    /// interrupted wait, since MPI may still write into it).
    private var scratch = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)
    /// How many runs have started: both ranks start the same runs (they agree on each first),
    /// so each run's messages carry a tag of their own, the same on both ranks, and a message
    /// an interrupt left in flight never matches a later run.
    private var runs = 0
    /// Tags cycle through 1...tagCycle, below the 32,767 that MPI guarantees for MPI_TAG_UB.
    static let tagCycle = 30_000

    /// The exchange over `communicator` (which only it uses) with rank `peer`.
    init(communicator: MPI_Comm?, peer: Int) {
        self.communicator = communicator
        self.peer = Int32(clamping: peer)
    }

    /// Writes into `result` the sum of both ranks' `source` (nil: of `result`'s own values, in
    /// place), times `scale` when given (a mean). `source` is only read. `wait` returns once
    /// both requests (a receive, a send) have ended. Both ranks must call it with the same
    /// count (`MPICommunicator` agrees on it first).
    func run(
        _ source: UnsafeBufferPointer<Float>?, into result: UnsafeMutableBufferPointer<Float>,
        scale: Float?,
        wait: (UnsafeMutablePointer<MPI_Request?>) throws(CommunicationError) -> Void
    ) throws(CommunicationError) {
        guard let output = result.baseAddress, let count = Int32(exactly: result.count) else {
            return
        }
        runs = runs % Self.tagCycle + 1
        let tag = Int32(runs)
        let input = source?.baseAddress
        if input == nil, scratch.count < result.count {
            scratch.deallocate()
            scratch = .allocate(capacity: result.count)
        }
        // Into a result, the peer's values arrive in the result, beside the input; in place,
        // in the scratch buffer, beside the rank's own values.
        let receiving: UnsafeMutablePointer<Float>
        let addend: UnsafePointer<Float>
        if let input {
            (receiving, addend) = (output, input)
        } else if let base = scratch.baseAddress {
            (receiving, addend) = (base, UnsafePointer(base))
        } else {
            return
        }
        let requests = UnsafeMutablePointer<MPI_Request?>.allocate(capacity: 2)
        defer { requests.deallocate() }
        requests[0] = tb_mpi_request_null()
        requests[1] = tb_mpi_request_null()
        do {
            try check(
                MPI_Irecv(receiving, count, tb_mpi_float(), peer, tag, communicator, requests))
            try check(
                MPI_Isend(
                    input ?? UnsafePointer(output), count, tb_mpi_float(), peer, tag,
                    communicator, requests + 1))
            try wait(requests)
        } catch {
            // An unfinished receive may still write into the scratch buffer: it lives on.
            if input == nil, case .interrupted = error {
                scratch = UnsafeMutableBufferPointer(start: nil, count: 0)
            }
            throw error
        }
        switch scale {
        case let scale?:
            for index in 0..<result.count {
                output[index] = (output[index] + addend[index]) * scale
            }
        case nil:
            for index in 0..<result.count { output[index] += addend[index] }
        }
    }

    private func check(_ status: Int32) throws(CommunicationError) {
        guard status == MPI_SUCCESS else {
            throw .transport(operation: "allReduce", reason: MPICommunicator.errorText(status))
        }
    }

    deinit { scratch.deallocate() }
}
