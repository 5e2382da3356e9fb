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
    /// How many runs have started: both ranks start the same runs (they agreed on each run's
    /// size first, or their caller agreed on a plan of sizes),
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

    /// Writes into `result` the sum of both ranks' `parts` laid end to end (nil: of `result`'s
    /// own values, in place), times `scale` when given (a mean). The parts are only read: each
    /// is sent from where it lies, and the peer's matching part arrives at its place in
    /// `result`, one message per part (the same tag; MPI keeps their order). `wait` returns
    /// once every request (a receive and a send per part) has ended. Both ranks must pass
    /// parts of the same sizes (`MPICommunicator` agrees on them first, or its caller did).
    /// When posting a message fails after others were posted (they stay in flight),
    /// `abandoned` is called before the error is thrown: the caller must keep the memory alive
    /// and treat the ranks as out of step, as after an interrupted wait.
    func run(
        _ parts: [UnsafeBufferPointer<Float>]?, into result: UnsafeMutableBufferPointer<Float>,
        scale: Float?, abandoned: () -> Void,
        wait: (UnsafeMutablePointer<MPI_Request?>, Int32) throws(CommunicationError) -> Void
    ) throws(CommunicationError) {
        guard let output = result.baseAddress, Int32(exactly: result.count) != nil else {
            return
        }
        runs = runs % Self.tagCycle + 1
        let tag = Int32(runs)
        if parts == nil, scratch.count < result.count {
            scratch.deallocate()
            scratch = .allocate(capacity: result.count)
        }
        // Into a result, the peer's values arrive in the result, beside the parts; in place,
        // in the scratch buffer, beside the rank's own values.
        let pieces: [(send: UnsafePointer<Float>?, offset: Int, count: Int)]
        let receiving: UnsafeMutablePointer<Float>
        if let parts {
            var offset = 0
            pieces = parts.map { part in
                defer { offset += part.count }
                return (part.baseAddress, offset, part.count)
            }
            guard offset == result.count else {
                throw .transport(
                    operation: "allReduce",
                    reason: "the result holds \(result.count) floats for \(offset) to reduce")
            }
            receiving = output
        } else if let base = scratch.baseAddress {
            pieces = [(UnsafePointer(output), 0, result.count)]
            receiving = base
        } else {
            return
        }
        let count = Int32(clamping: 2 * pieces.count)
        let requests = UnsafeMutablePointer<MPI_Request?>.allocate(capacity: Int(count))
        defer { requests.deallocate() }
        requests.initialize(repeating: tb_mpi_request_null(), count: Int(count))
        var posted = 0
        do {
            for (number, piece) in pieces.enumerated() {
                try check(
                    MPI_Irecv(
                        receiving + piece.offset, Int32(piece.count), tb_mpi_float(), peer, tag,
                        communicator, requests + 2 * number))
                posted += 1
            }
            for (number, piece) in pieces.enumerated() {
                try check(
                    MPI_Isend(
                        piece.send, Int32(piece.count), tb_mpi_float(), peer, tag, communicator,
                        requests + 2 * number + 1))
                posted += 1
            }
        } catch {
            // Messages already posted stay in flight: the memory must live on.
            if posted > 0 {
                if parts == nil { scratch = UnsafeMutableBufferPointer(start: nil, count: 0) }
                abandoned()
            }
            throw error
        }
        do {
            try wait(requests, count)
        } catch {
            // An unfinished receive may still write into the scratch buffer: it lives on.
            if parts == nil, case .interrupted = error {
                scratch = UnsafeMutableBufferPointer(start: nil, count: 0)
            }
            throw error
        }
        for piece in pieces {
            // In place, the rank's own values are `output` and the peer's the scratch buffer;
            // into a result, the other way round: either way output = output + addend.
            let target = output + piece.offset
            guard
                let addend = parts == nil
                    ? UnsafePointer(receiving + piece.offset) : piece.send
            else { continue }
            switch scale {
            case let scale?:
                for index in 0..<piece.count {
                    target[index] = (target[index] + addend[index]) * scale
                }
            case nil:
                for index in 0..<piece.count { target[index] += addend[index] }
            }
        }
    }

    private func check(_ status: Int32) throws(CommunicationError) {
        guard status == MPI_SUCCESS else {
            throw .transport(operation: "allReduce", reason: MPICommunicator.errorText(status))
        }
    }

    deinit { scratch.deallocate() }
}
