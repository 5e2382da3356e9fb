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
