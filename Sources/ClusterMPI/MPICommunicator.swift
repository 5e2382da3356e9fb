import CMPI
import NN

#if canImport(Glibc)
    import Glibc
#endif

/// The `Communicator` of an MPI job's world: the collectives of Open MPI, started without
/// blocking (`MPI_Iallreduce`, `MPI_Ibcast`, …) and waited for with `MPI_Test`, so that an
/// interrupt can end the wait; on two ranks, sums and means of `pairElements` floats swap whole
/// tensors over point-to-point messages (`PairAllReduce`), waited for the same way.
///
/// Initialised with `MPI_THREAD_SERIALIZED`: MPI is called from one thread at a time (the rank's
/// cell thread), not necessarily the thread that initialised it.
///
/// ```swift
/// let world = try MPICommunicator.initialize()
/// var values: [Float] = [Float(world.rank)]
/// try world.allReduce(&values, op: .sum, interrupted: { false })
/// ```
public final class MPICommunicator: Communicator {
    /// This process's rank in MPI_COMM_WORLD.
    public let rank: Int
    /// The size of MPI_COMM_WORLD.
    public let size: Int
    private var isFinalized = false
    /// The collective an interrupt ended while its messages may still be in flight (set by
    /// `wait`): from then on every collective is refused until `%cluster restart`, since a
    /// new one could match the old one's messages and give wrong values or hang.
    private var abandonedOperation: String?
    /// The large allreduces, on a duplicate of the world.
    private let pair: PairAllReduce
    private var pairCommunicator: MPI_Comm?

    private init(rank: Int, size: Int, pairCommunicator: MPI_Comm?) {
        self.rank = rank
        self.size = size
        self.pairCommunicator = pairCommunicator
        pair = PairAllReduce(communicator: pairCommunicator, peer: 1 - rank)
    }

    /// Initialises MPI (once per process) and returns the world.
    ///
    /// - Throws: `CommunicationError.transport` when MPI cannot start or offers less than
    ///   `MPI_THREAD_SERIALIZED`.
    public static func initialize() throws(CommunicationError) -> MPICommunicator {
        // Open MPI's ring for the non-blocking allreduce unless the user chose (libnbc's
        // default took 1.17× its time at 40 MB here; docs/distributed.md). Read at MPI_Init.
        setenv("OMPI_MCA_coll_libnbc_iallreduce_algorithm", "1", 0)
        var provided: Int32 = 0
        let status = MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided)
        guard status == MPI_SUCCESS else {
            throw .transport(operation: "MPI_Init_thread", reason: errorText(status))
        }
        guard provided >= Int32(MPI_THREAD_SERIALIZED) else {
            throw .transport(
                operation: "MPI_Init_thread",
                reason: "this MPI offers thread level \(provided), below MPI_THREAD_SERIALIZED")
        }
        // Errors come back as codes (then as `CommunicationError`) instead of aborting the job.
        MPI_Comm_set_errhandler(tb_mpi_comm_world(), tb_mpi_errors_return())
        var rank: Int32 = 0
        var size: Int32 = 0
        MPI_Comm_rank(tb_mpi_comm_world(), &rank)
        MPI_Comm_size(tb_mpi_comm_world(), &size)
        // The pair's messages go on a communicator of their own (with the world's handler).
        var pairCommunicator: MPI_Comm? = nil
        let duplicated = MPI_Comm_dup(tb_mpi_comm_world(), &pairCommunicator)
        guard duplicated == MPI_SUCCESS else {
            throw .transport(operation: "MPI_Comm_dup", reason: errorText(duplicated))
        }
        return MPICommunicator(
            rank: Int(rank), size: Int(size), pairCommunicator: pairCommunicator)
    }

    /// Ends MPI for this process; later calls fail.
    public func finalize() {
        guard !isFinalized else { return }
        isFinalized = true
        MPI_Comm_free(&pairCommunicator)
        MPI_Finalize()
    }

    // MARK: - Communicator

    /// Returns when every rank has called it (`MPI_Ibarrier`).
    public func barrier(interrupted: () -> Bool) throws(CommunicationError) {
        try requireInStep("barrier")
        var request: MPI_Request? = tb_mpi_request_null()
        try check(MPI_Ibarrier(tb_mpi_comm_world(), &request), "barrier")
        try wait(&request, "barrier", interrupted: interrupted)
    }

    /// Reduces `values` element-wise over every rank, in place (`MPI_Iallreduce`).
    public func allReduce(
        _ values: inout [Float], op: ReductionOperation, interrupted: () -> Bool
    ) throws(CommunicationError) {
        guard !values.isEmpty else { return }
        try requireInStep("allReduce")
        let count = values.count
        try withStableBuffer(&values, "allReduce") { pointer throws(CommunicationError) in
            var request: MPI_Request? = tb_mpi_request_null()
            try check(
                MPI_Iallreduce(
                    tb_mpi_in_place(), pointer, Int32(count), tb_mpi_float(),
                    op == .max ? tb_mpi_max() : tb_mpi_sum(), tb_mpi_comm_world(), &request),
                "allReduce")
            try wait(&request, "allReduce", interrupted: interrupted)
        }
        if op == .mean {
            let scale = 1 / Float(size)
            for index in values.indices { values[index] *= scale }
        }
    }

    /// The sizes (16 KiB to 1 MiB) at which two ranks sum by swapping whole tensors
    /// (`PairAllReduce`); other sizes, `.max`, and three ranks or more use `MPI_Iallreduce`.
    static let pairElements = (1 << 12)...(1 << 18)

    /// Whether two ranks may swap whole tensors: yes unless the environment sets
    /// `TRAINBOOK_CLUSTER_ALLREDUCE=mpi` (every allreduce then is Open MPI's `MPI_Iallreduce`,
    /// whose algorithm its MCA parameters choose: how bench/cluster/allreduce_algorithms.py
    /// compares the two, and a way out should the point-to-point path misbehave).
    static let isPointToPointAllowed =
        getenv("TRAINBOOK_CLUSTER_ALLREDUCE").map { String(cString: $0) } != "mpi"

    /// Reduces the floats at `values` element-wise over every rank, in place in their own
    /// memory (`MPI_IN_PLACE`: no copy); `.mean` then scales them. On an interrupt `owner` is
    /// retained for good: MPI may still write into the memory.
    public func allReduce(
        _ values: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation,
        interrupted: () -> Bool
    ) throws(CommunicationError) {
        try reduce(
            nil, into: values, owner: owner, op: op, agreeing: false, interrupted: interrupted)
    }

    /// Writes the element-wise reduction of every rank's `source` into `result`, which MPI
    /// fills directly (no copy of `source`, which stays as it was); `.mean` then scales
    /// `result`. On an interrupt `owner` is retained for good: MPI may still use the memory.
    public func allReduce(
        _ source: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>,
        owner: AnyObject, op: ReductionOperation, interrupted: () -> Bool
    ) throws(CommunicationError) {
        try CommunicationError.requireResult(of: result.count, for: source.count)
        try reduce(
            source, into: result, owner: owner, op: op, agreeing: true, interrupted: interrupted)
    }

    /// Writes into `result` the element-wise reduction of every rank's `parts` laid end to end,
    /// with no handshake: the caller agreed on the sizes and the operation beforehand (a
    /// data-parallel fit's bucket plan). On two ranks a sum or mean of `pairElements` floats
    /// sends each part from where it lies, and the peer's arrives in `result` (no copy of
    /// the parts); otherwise the parts are copied into `result` and reduced there
    /// (`MPI_Iallreduce`). On an interrupt `owner` is retained for good: MPI may still use the
    /// memory.
    public func allReduce(
        agreedParts parts: [UnsafeBufferPointer<Float>],
        into result: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation,
        interrupted: () -> Bool
    ) throws(CommunicationError) {
        try CommunicationError.requireResult(
            of: result.count, for: parts.reduce(0) { $0 + $1.count })
        guard !result.isEmpty else { return }
        try requireInStep("allReduce")
        guard usesPair(count: result.count, op: op) else {
            try result.assign(concatenating: parts)
            // Not the pair's sizes, so no handshake there either.
            try reduce(
                nil, into: result, owner: owner, op: op, agreeing: false,
                interrupted: interrupted)
            return
        }
        try swap(parts, into: result, owner: owner, op: op, interrupted: interrupted)
    }

    /// Whether two ranks reduce `count` floats under `op` by swapping whole tensors
    /// (`PairAllReduce`): a sum or mean of `pairElements` floats on exactly two ranks, unless
    /// the environment forbids it.
    func usesPair(count: Int, op: ReductionOperation) -> Bool {
        size == 2 && op != .max && Self.pairElements.contains(count) && Self.isPointToPointAllowed
    }

    /// The pair's reduction of `parts` (nil: `result` in place) into `result`, a mean scaled.
    /// When the wait is interrupted, or posting the messages failed after some were posted,
    /// `owner` is retained for good (MPI may still use the memory) and the communicator is out
    /// of step (`abandon`).
    private func swap(
        _ parts: [UnsafeBufferPointer<Float>]?, into result: UnsafeMutableBufferPointer<Float>,
        owner: AnyObject, op: ReductionOperation, interrupted: () -> Bool
    ) throws(CommunicationError) {
        var isAbandoned = false
        do {
            try pair.run(
                parts, into: result, scale: op == .mean ? 1 / Float(size) : nil,
                abandoned: { isAbandoned = true },
                wait: { requests, count throws(CommunicationError) in
                    try wait(requests, count: count, "allReduce", interrupted: interrupted)
                })
        } catch {
            if case .interrupted = error { isAbandoned = true }
            if isAbandoned {
                // MPI may still read or write the memory: it lives on.
                _ = Unmanaged.passRetained(owner)
                _ = abandon("allReduce")
            }
            throw error
        }
    }

    /// The allreduce of `source` (nil: `result` in place) into `result`. When `agreeing` (a
    /// cell's sizes may differ between ranks), and always before the point-to-point path, the
    /// ranks first agree on the size and the operation, so that a rank whose size or operation
    /// differs gets an error on every rank, never mismatched collectives. Two ranks summing
    /// `pairElements` floats run `PairAllReduce`; otherwise `MPI_Iallreduce`. Both are polled
    /// by `wait`, so interruptible.
    private func reduce(
        _ source: UnsafeBufferPointer<Float>?, into result: UnsafeMutableBufferPointer<Float>,
        owner: AnyObject, op: ReductionOperation, agreeing: Bool, interrupted: () -> Bool
    ) throws(CommunicationError) {
        guard let base = result.baseAddress, !result.isEmpty else { return }
        try requireInStep("allReduce")
        guard let count = Int32(exactly: result.count) else {
            // MPI counts are 32-bit: a larger buffer goes in pieces.
            let half = result.count / 2
            try reduce(
                source.map { UnsafeBufferPointer(rebasing: $0[..<half]) },
                into: UnsafeMutableBufferPointer(rebasing: result[..<half]), owner: owner,
                op: op, agreeing: agreeing, interrupted: interrupted)
            try reduce(
                source.map { UnsafeBufferPointer(rebasing: $0[half...]) },
                into: UnsafeMutableBufferPointer(rebasing: result[half...]), owner: owner,
                op: op, agreeing: agreeing, interrupted: interrupted)
            return
        }
        // Only where measured clearly better than Open MPI (two ranks on one host,
        // docs/distributed.md); everything else is Open MPI's own allreduce.
        let isPair = usesPair(count: result.count, op: op)
        // Every rank has called it with the same size and operation once the handshake ends,
        // so every rank takes the same path and the pair's messages match.
        if size > 1, agreeing || isPair {
            try agree(count: count, op: op, interrupted: interrupted)
        }
        if isPair {
            try swap(
                source.map { [$0] }, into: result, owner: owner, op: op, interrupted: interrupted)
            return
        }
        do {
            let send: UnsafeRawPointer? =
                if let source { UnsafeRawPointer(source.baseAddress) } else {
                    UnsafeRawPointer(tb_mpi_in_place())
                }
            var request: MPI_Request? = tb_mpi_request_null()
            try check(
                MPI_Iallreduce(
                    send, base, count, tb_mpi_float(), op == .max ? tb_mpi_max() : tb_mpi_sum(),
                    tb_mpi_comm_world(), &request),
                "allReduce")
            try wait(&request, "allReduce", interrupted: interrupted)
        } catch {
            // MPI may still read or write the memory: it lives on.
            if case .interrupted = error { _ = Unmanaged.passRetained(owner) }
            throw error
        }
        if op == .mean {
            let scale = 1 / Float(size)
            for index in result.indices { result[index] *= scale }
        }
    }

    /// Starts an in-place `MPI_Iallreduce` of the floats at `values` and returns without
    /// waiting (`MPIPendingReduction`); `.mean` scales them once it has finished.
    public func startAllReduce(
        _ values: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation
    ) throws(CommunicationError) -> any PendingCollective {
        try requireInStep("allReduce")
        guard let base = values.baseAddress, let count = Int32(exactly: values.count), count > 0
        else {
            return DeferredReduction(communicator: self, values: values, owner: owner, op: op)
        }
        var request: MPI_Request? = tb_mpi_request_null()
        try check(
            MPI_Iallreduce(
                tb_mpi_in_place(), base, count, tb_mpi_float(),
                op == .max ? tb_mpi_max() : tb_mpi_sum(), tb_mpi_comm_world(), &request),
            "allReduce")
        return MPIPendingReduction(
            communicator: self, request: request, values: values, owner: owner,
            scale: op == .mean ? 1 / Float(size) : nil)
    }

    /// Returns once every rank has called it with the same `count` and `op` (a non-blocking
    /// allreduce of `[count, -count, op, -op]` under max, so interruptible).
    ///
    /// - Throws: `.transport` when the ranks' counts or operations differ.
    private func agree(count: Int32, op: ReductionOperation, interrupted: () -> Bool)
        throws(CommunicationError)
    {
        let code = Self.code(of: op)
        var bounds: [Int32] = [count, -count, code, -code]
        try withStableBuffer(&bounds, "allReduce") { pointer throws(CommunicationError) in
            var request: MPI_Request? = tb_mpi_request_null()
            try check(
                MPI_Iallreduce(
                    tb_mpi_in_place(), pointer, 4, tb_mpi_int(), tb_mpi_max(),
                    tb_mpi_comm_world(), &request),
                "allReduce")
            try wait(&request, "allReduce", interrupted: interrupted)
        }
        guard bounds[0] == count, -bounds[1] == count else {
            throw .transport(
                operation: "allReduce",
                reason: "the ranks passed different sizes (this rank \(count) values, another "
                    + "between \(-bounds[1]) and \(bounds[0])): every rank must reduce the same shape"
            )
        }
        guard bounds[2] == code, -bounds[3] == code else {
            let names = ReductionOperation.allCases.filter {
                let other = Self.code(of: $0)
                return other != code && other >= -bounds[3] && other <= bounds[2]
            }.map { ".\($0.rawValue)" }
            throw .transport(
                operation: "allReduce",
                reason: "the ranks passed different operations (this rank .\(op.rawValue), another "
                    + "\(names.joined(separator: " or "))): every rank must use the same op")
        }
    }

    /// The operation's number in the handshake.
    private static func code(of op: ReductionOperation) -> Int32 {
        switch op {
        case .sum: 1
        case .mean: 2
        case .max: 3
        }
    }

    /// Refuses a collective once an interrupted one may still have messages in flight.
    private func requireInStep(_ operation: String) throws(CommunicationError) {
        guard let abandoned = abandonedOperation else { return }
        throw .transport(
            operation: operation,
            reason: "an earlier \(abandoned) was interrupted while its messages were in flight, "
                + "so the ranks are out of step; run %cluster restart before the next collective")
    }

    /// Gives every rank the bytes of `root`: their length, then the bytes (`MPI_Ibcast`).
    public func broadcast(_ bytes: inout [UInt8], from root: Int, interrupted: () -> Bool)
        throws(CommunicationError)
    {
        guard root >= 0, root < size else { throw .invalidRoot(root, size: size) }
        try requireInStep("broadcast")
        // The length first, so that the other ranks can size their buffers.
        var count = [UInt8](repeating: 0, count: 8)
        if rank == root {
            count = withUnsafeBytes(of: UInt64(bytes.count).littleEndian, Array.init)
        }
        try broadcastRaw(&count, from: root, interrupted: interrupted)
        let total = count.withUnsafeBytes {
            Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)))
        }
        if rank != root { bytes = [UInt8](repeating: 0, count: total) }
        try broadcastRaw(&bytes, from: root, interrupted: interrupted)
    }

    /// Every rank's bytes, in rank order (`MPI_Iallgather` of the lengths, then `MPI_Iallgatherv`).
    public func allGather(_ bytes: [UInt8], interrupted: () -> Bool) throws(CommunicationError)
        -> [[UInt8]]
    {
        try requireInStep("gather")
        var lengths = [Int32](repeating: 0, count: size)
        lengths[rank] = Int32(clamping: bytes.count)
        // Stable buffers (leaked if interrupted): MPI may still write the lengths and the
        // gathered bytes, and read the bytes, counts and offsets, after an interrupted wait.
        try withStableBuffer(&lengths, "gather") { buffer throws(CommunicationError) in
            var request: MPI_Request? = tb_mpi_request_null()
            try check(
                MPI_Iallgather(
                    tb_mpi_in_place(), 0, tb_mpi_int(), buffer, 1, tb_mpi_int(),
                    tb_mpi_comm_world(), &request),
                "gather")
            try wait(&request, "gather", interrupted: interrupted)
        }
        var offsets = [Int32](repeating: 0, count: size)
        var total = 0
        for index in 0..<size {
            offsets[index] = Int32(clamping: total)
            total += Int(lengths[index])
        }
        var gathered = [UInt8](repeating: 0, count: max(total, 1))
        var own = bytes
        var counts = lengths
        let sent = Int32(clamping: own.count)
        try withStableBuffer(&own, "gather") { send throws(CommunicationError) in
            try withStableBuffer(&counts, "gather") { counts throws(CommunicationError) in
                try withStableBuffer(&offsets, "gather") { offsets throws(CommunicationError) in
                    try withStableBuffer(&gathered, "gather") {
                        receive throws(CommunicationError) in
                        var request: MPI_Request? = tb_mpi_request_null()
                        try check(
                            MPI_Iallgatherv(
                                send, sent, tb_mpi_byte(), receive,
                                counts.assumingMemoryBound(to: Int32.self),
                                offsets.assumingMemoryBound(to: Int32.self), tb_mpi_byte(),
                                tb_mpi_comm_world(), &request),
                            "gather")
                        try wait(&request, "gather", interrupted: interrupted)
                    }
                }
            }
        }
        return (0..<size).map { index in
            let start = Int(offsets[index])
            return Array(gathered[start..<start + Int(lengths[index])])
        }
    }

    // MARK: - Waiting

    private func broadcastRaw(_ bytes: inout [UInt8], from root: Int, interrupted: () -> Bool)
        throws(CommunicationError)
    {
        guard !bytes.isEmpty else { return }
        let count = bytes.count
        try withStableBuffer(&bytes, "broadcast") { pointer throws(CommunicationError) in
            var request: MPI_Request? = tb_mpi_request_null()
            try check(
                MPI_Ibcast(
                    pointer, Int32(clamping: count), tb_mpi_byte(), Int32(root),
                    tb_mpi_comm_world(), &request),
                "broadcast")
            try wait(&request, "broadcast", interrupted: interrupted)
        }
    }

    /// Runs `body` on a buffer that stays valid even when an interrupted operation still writes
    /// into it: on interruption the buffer is leaked on purpose, since MPI may write it later.
    private func withStableBuffer<Element>(
        _ values: inout [Element], _ operation: String,
        _ body: (UnsafeMutableRawPointer) throws(CommunicationError) -> Void
    ) throws(CommunicationError) {
        let count = values.count
        let buffer = UnsafeMutablePointer<Element>.allocate(capacity: count)
        buffer.initialize(from: values, count: count)
        do {
            try body(UnsafeMutableRawPointer(buffer))
        } catch {
            if case .interrupted = error { throw error }  // leaked: MPI may still write it
            buffer.deinitialize(count: count)
            buffer.deallocate()
            throw error
        }
        values = Array(UnsafeBufferPointer(start: buffer, count: count))
        buffer.deinitialize(count: count)
        buffer.deallocate()
    }

    /// How long `wait` polls back to back before it sleeps between polls: 500 µs while the
    /// machine has a CPU for every runnable thread, else 50 µs (`SpinBudget`).
    private var spinBudget = SpinBudget()

    /// Waits for `request` (`wait(_:count:_:interrupted:)`).
    func wait(
        _ request: inout MPI_Request?, _ operation: String, interrupted: () -> Bool
    ) throws(CommunicationError) {
        try withUnsafeMutablePointer(to: &request) { pointer throws(CommunicationError) in
            try wait(pointer, count: 1, operation, interrupted: interrupted)
        }
    }

    /// Waits until all `count` requests at `requests` have ended: `MPI_Testall` back to back
    /// for `spinBudget`'s time, then once after each sleep (`SpinBudget.sleepMicroseconds`: 20 µs at
    /// first, longer as the wait goes on; the thread's timer slack cut to 1 µs, else each
    /// sleep lasts 50 µs more), `interrupted` checked at every sleep and every 8th poll. Each
    /// poll moves the operations on (Open MPI progresses only inside MPI calls).
    func wait(
        _ requests: UnsafeMutablePointer<MPI_Request?>, count: Int32, _ operation: String,
        interrupted: () -> Bool
    ) throws(CommunicationError) {
        var spinEnd: UInt64 = 0
        var polls = 0
        var sleeps = 0
        while true {
            var done: Int32 = 0
            try check(
                MPI_Testall(count, requests, &done, tb_mpi_statuses_ignore()), operation)
            if done != 0 { return }
            polls += 1
            if sleeps == 0 {
                // Spinning: the clock and the flag every 8th poll.
                guard polls % 8 == 0 else { continue }
                if interrupted() { throw abandon(operation) }
                let now = Self.monotonicNanoseconds()
                if spinEnd == 0 { spinEnd = now + spinBudget.nanoseconds(now: now) }
                if now < spinEnd { continue }
            } else if interrupted() {
                throw abandon(operation)
            }
            // Set once per thread (the shim keeps a thread-local flag, and returns 0 after the
            // first call). A refusal (-1) is not an error: each sleep then lasts about 50 µs
            // longer, which only makes the wait coarser.
            if sleeps == 0 { _ = tb_set_timer_slack_once(1_000) }
            usleep(SpinBudget.sleepMicroseconds(afterSleeps: sleeps))
            sleeps += 1
        }
    }

    /// Marks the communicator out of step (`abandonedOperation`) and returns the interrupt.
    private func abandon(_ operation: String) -> CommunicationError {
        if abandonedOperation == nil { abandonedOperation = operation }
        return .interrupted(operation: operation)
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    func check(_ status: Int32, _ operation: String) throws(CommunicationError) {
        guard status == MPI_SUCCESS else {
            throw .transport(operation: operation, reason: Self.errorText(status))
        }
    }

    static func errorText(_ status: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(status, &buffer, &length)
        return String(
            decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
