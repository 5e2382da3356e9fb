/// The collective operations a fixed group of processes (the ranks of an MPI job) offers each
/// of its members: what cells on a cluster rank call (`allReduce`, `broadcast`, `gather`,
/// `barrier`) and what data-parallel training averages its gradients with.
///
/// Every rank must call the same collectives in the same order, as MPI requires. Each call
/// blocks until the group has taken part; `interrupted` is polled while waiting, so a cell's
/// stop button returns control even when another rank never joins (the group is then out of
/// step: `CommunicationError.interrupted` says so, and the cluster must be restarted).
///
/// ```swift
/// var gradient: [Float] = …
/// try communicator.allReduce(&gradient, op: .mean, interrupted: { flag.isRaised })
/// ```
public protocol Communicator: AnyObject {
    /// This process's place in the group, 0..<size.
    var rank: Int { get }
    /// The number of processes in the group.
    var size: Int { get }

    /// Returns when every rank has called it.
    func barrier(interrupted: () -> Bool) throws(CommunicationError)

    /// Replaces `values` on every rank by their element-wise reduction over all ranks.
    func allReduce(
        _ values: inout [Float], op: ReductionOperation, interrupted: () -> Bool
    ) throws(CommunicationError)

    /// Replaces the floats at `values` on every rank by their element-wise reduction, in
    /// place, without copying them (a tensor's own storage: a gradient). `owner` owns that
    /// memory; if the wait is interrupted it is kept alive for good, since the transport may
    /// still write into it.
    func allReduce(
        _ values: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation,
        interrupted: () -> Bool
    ) throws(CommunicationError)

    /// Writes the element-wise reduction over every rank of each rank's `source` into `result`
    /// (as many floats) and leaves `source` as it was: the reduction of a value that others
    /// still hold, with no copy of it first. `owner` owns both memories; if the wait is
    /// interrupted it is kept alive for good, since the transport may still use them.
    func allReduce(
        _ source: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>,
        owner: AnyObject, op: ReductionOperation, interrupted: () -> Bool
    ) throws(CommunicationError)

    /// Writes into `result` the element-wise reduction over every rank of `parts` laid end to
    /// end (as many floats in all as `result`), each read where it lies, with no copy of them
    /// first: a data-parallel bucket's gradients, each in its own tensor. Unlike
    /// `allReduce(_:into:owner:op:interrupted:)` it does not check at each call that every
    /// rank passes the same sizes and operation: the caller has agreed on them beforehand
    /// (`DataParallel` compares its bucket plan over the ranks whenever the plan changes), and
    /// every rank must pass parts of the same sizes. `owner` owns every memory; if the wait is
    /// interrupted it is kept alive for good, since the transport may still use them.
    func allReduce(
        agreedParts parts: [UnsafeBufferPointer<Float>],
        into result: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation,
        interrupted: () -> Bool
    ) throws(CommunicationError)

    /// Starts replacing the floats at `values` by their element-wise reduction over the ranks,
    /// in place, and returns without waiting (`MPI_Iallreduce`): the caller goes on computing,
    /// calls `progress()` now and then, and `wait` before it reads `values`. Every rank must
    /// start the same reductions in the same order. `owner` owns the memory and must keep it
    /// alive until `wait` returns (an interrupted wait keeps it alive for good).
    func startAllReduce(
        _ values: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation
    ) throws(CommunicationError) -> any PendingCollective

    /// Gives every rank the bytes rank `root` passed (other ranks' `bytes` are replaced).
    func broadcast(_ bytes: inout [UInt8], from root: Int, interrupted: () -> Bool)
        throws(CommunicationError)

    /// Every rank's bytes, in rank order, on every rank.
    func allGather(_ bytes: [UInt8], interrupted: () -> Bool) throws(CommunicationError)
        -> [[UInt8]]
}

// MARK: - Default implementations

extension Communicator {
    /// Through the array form (one copy each way), for communicators without an in-place one.
    public func allReduce(
        _ values: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation,
        interrupted: () -> Bool
    ) throws(CommunicationError) {
        var copy = Array(values)
        try allReduce(&copy, op: op, interrupted: interrupted)
        _ = values.update(fromContentsOf: copy)
    }

    /// Through the in-place form: `source` copied into `result`, reduced there.
    public func allReduce(
        _ source: UnsafeBufferPointer<Float>, into result: UnsafeMutableBufferPointer<Float>,
        owner: AnyObject, op: ReductionOperation, interrupted: () -> Bool
    ) throws(CommunicationError) {
        try CommunicationError.requireResult(of: result.count, for: source.count)
        _ = result.update(fromContentsOf: source)
        try allReduce(result, owner: owner, op: op, interrupted: interrupted)
    }

    /// Through the in-place form: the parts copied into `result`, reduced there.
    public func allReduce(
        agreedParts parts: [UnsafeBufferPointer<Float>],
        into result: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation,
        interrupted: () -> Bool
    ) throws(CommunicationError) {
        try result.assign(concatenating: parts)
        try allReduce(result, owner: owner, op: op, interrupted: interrupted)
    }

    /// A reduction that runs when it is waited for, for communicators without non-blocking
    /// collectives (nothing overlaps, the order of reductions is kept).
    public func startAllReduce(
        _ values: UnsafeMutableBufferPointer<Float>, owner: AnyObject, op: ReductionOperation
    ) throws(CommunicationError) -> any PendingCollective {
        DeferredReduction(communicator: self, values: values, owner: owner, op: op)
    }
}

/// A collective operation started without waiting (`Communicator.startAllReduce`).
public protocol PendingCollective: AnyObject {
    /// Lets the transport move the operation on (MPI progresses non-blocking collectives only
    /// inside MPI calls); true once it has finished.
    func progress() throws(CommunicationError) -> Bool

    /// Returns once the operation has finished; `interrupted` is polled while waiting.
    func wait(interrupted: () -> Bool) throws(CommunicationError)

    /// Whether `progress` can finish the operation without `wait` (true for a transport that
    /// moves it on by itself or inside `progress`; false for one that runs only when waited
    /// for, such as `DeferredReduction`, which polling longer cannot finish).
    var finishesWithoutWaiting: Bool { get }
}

extension PendingCollective {
    /// True: a transport's non-blocking operation moves on when polled.
    public var finishesWithoutWaiting: Bool { true }
}

/// An allreduce that runs, blocking, when waited for: `startAllReduce` of a communicator
/// without non-blocking collectives.
public final class DeferredReduction: PendingCollective {
    private let communicator: any Communicator
    private let values: UnsafeMutableBufferPointer<Float>
    private let owner: AnyObject
    private let op: ReductionOperation
    private var isDone = false

    /// A reduction of the floats at `values` (owned by `owner`) by `communicator`, run by `wait`.
    public init(
        communicator: any Communicator, values: UnsafeMutableBufferPointer<Float>,
        owner: AnyObject, op: ReductionOperation
    ) {
        self.communicator = communicator
        self.values = values
        self.owner = owner
        self.op = op
    }

    /// Whether `wait` has run it.
    public func progress() throws(CommunicationError) -> Bool { isDone }

    /// False: it runs only when waited for.
    public var finishesWithoutWaiting: Bool { false }

    /// Runs the (blocking, interruptible) allreduce.
    public func wait(interrupted: () -> Bool) throws(CommunicationError) {
        guard !isDone else { return }
        try communicator.allReduce(values, owner: owner, op: op, interrupted: interrupted)
        isDone = true
    }
}

/// How `allReduce` combines the ranks' values, element by element.
public enum ReductionOperation: String, Sendable, CaseIterable {
    /// The sum over ranks.
    case sum
    /// The sum divided by the number of ranks.
    case mean
    /// The largest value over ranks.
    case max
}

/// Why a collective operation failed.
public enum CommunicationError: Error, Equatable, Sendable {
    /// `root` is not a rank of the group.
    case invalidRoot(Int, size: Int)
    /// The wait was interrupted before every rank took part; the group is out of step.
    case interrupted(operation: String)
    /// The transport (MPI) reported an error.
    case transport(operation: String, reason: String)
}

extension CommunicationError: CustomStringConvertible {
    /// The message cells show.
    public var description: String {
        switch self {
        case .invalidRoot(let root, let size):
            return "rank \(root) is not in the cluster (ranks 0..<\(size))"
        case .interrupted(let operation):
            return
                "\(operation) was interrupted while waiting for the other ranks; the ranks are now "
                + "out of step: run %cluster restart before the next collective"
        case .transport(let operation, let reason):
            return "\(operation) failed: \(reason)"
        }
    }
}

extension UnsafeMutableBufferPointer<Float> {
    /// Copies `parts` end to end into this memory, which must hold exactly as many floats.
    ///
    /// - Throws: `CommunicationError.transport` when the sizes differ.
    public func assign(concatenating parts: [UnsafeBufferPointer<Float>]) throws(CommunicationError)
    {
        try CommunicationError.requireResult(of: count, for: parts.reduce(0) { $0 + $1.count })
        var offset = 0
        for part in parts {
            _ = UnsafeMutableBufferPointer(rebasing: self[offset..<offset + part.count])
                .update(fromContentsOf: part)
            offset += part.count
        }
    }
}

extension CommunicationError {
    /// Fails unless a reduction's result buffer holds exactly as many floats as its source.
    public static func requireResult(of resultCount: Int, for sourceCount: Int) throws(Self) {
        guard resultCount == sourceCount else {
            throw .transport(
                operation: "allReduce",
                reason: "the result holds \(resultCount) floats for \(sourceCount) to reduce")
        }
    }
}
