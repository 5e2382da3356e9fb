/// Every rank's check, at every overlapped data-parallel step, that all ranks have the same
/// bucket plan (each bucket's gradient sizes, `OverlappedGradientReduction.plan`): the step's
/// reductions rely on it instead of a handshake per reduction. `DataParallel.beginStep` starts
/// a non-blocking max-allreduce of `[a, b, -a, -b]`, a and b two 24-bit halves of a digest of
/// the plan (exact as floats), which is equal on every rank exactly when max(a) = -max(-a) and
/// max(b) = -max(-b); the reduction waits for it before its first bucket starts (by then it has
/// usually finished: the forward pass ran meanwhile; during backward it polls for at most
/// `pollLimit`, then leaves the buckets to `finish`, which waits interruptibly). When the
/// digests differ, every rank sees it, no bucket starts on any rank, and every rank gathers the
/// plans to say what differs (`requireSame`). Every rank thus takes part every step, whatever
/// changed on one rank only.
///
/// ```swift
/// let check = try BucketPlanCheck(plan: reduction.plan, communicator: world)
/// if try check.result(interrupted: stop) == false { try BucketPlanCheck.requireSame(…) }
/// ```
final class BucketPlanCheck {
    /// How long backward polls for a comparison not yet finished when a bucket is ready (a
    /// peer a little behind), before leaving the buckets to `finish`.
    static let pollLimit = Duration.microseconds(200)
    /// The plan this rank reduces.
    let plan: [[Int]]
    private let expected: [Float]
    private let values: FloatBox
    private let pending: any PendingCollective
    private var outcome: Bool?
    /// How many times `progress(forAtMost:)` polled (for tests).
    private(set) var polls = 0

    /// The floats the allreduce works in (they must outlive an interrupted wait).
    private final class FloatBox {
        let pointer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 4)
        deinit { pointer.deallocate() }
    }

    /// Starts comparing `plan` over `communicator`'s ranks (every rank must start it, in the
    /// same order relative to the other collectives).
    init(plan: [[Int]], communicator: any Communicator) throws(CommunicationError) {
        self.plan = plan
        let digest = Self.digest(of: plan)
        let (high, low) = (Float(digest >> 24 & 0xFF_FFFF), Float(digest & 0xFF_FFFF))
        expected = [high, low, -high, -low]
        values = FloatBox()
        _ = values.pointer.initialize(from: expected)
        pending = try communicator.startAllReduce(values.pointer, owner: values, op: .max)
    }

    /// Whether the allreduce has finished (as far as the last `progress` or `result` saw).
    var isFinished: Bool { outcome != nil }

    /// Whether every rank has the same plan: nil while the allreduce is still running.
    func progress() throws(CommunicationError) -> Bool? {
        if outcome == nil, try pending.progress() { outcome = Array(values.pointer) == expected }
        return outcome
    }

    /// `progress` polled back to back for at most `limit`: whether every rank has the same
    /// plan, nil if the allreduce is still running then (a peer that has not reached the step:
    /// the caller waits for it later, interruptibly).
    /// An allreduce that runs only when waited for (`finishesWithoutWaiting` false: a
    /// communicator without non-blocking collectives, `DeferredReduction`) is polled once:
    /// polling longer cannot finish it.
    func progress(forAtMost limit: Duration) throws(CommunicationError) -> Bool? {
        let end = ContinuousClock.now + limit
        while true {
            polls += 1
            if let outcome = try progress() { return outcome }
            if !pending.finishesWithoutWaiting { return nil }
            if ContinuousClock.now >= end { return nil }
        }
    }

    /// Whether every rank has the same plan, once the allreduce has finished.
    func result(interrupted: () -> Bool) throws(CommunicationError) -> Bool {
        if let outcome { return outcome }
        try pending.wait(interrupted: interrupted)
        let agreed = Array(values.pointer) == expected
        outcome = agreed
        return agreed
    }

    /// Waits for the comparison and fails on every rank unless every rank has the same plan
    /// (`requireSame` then says what differs).
    ///
    /// - Throws: `NNError.invalidArgument` when another rank's plan differs, or the wait's or
    ///   the gather's `CommunicationError`.
    func requireAgreement(communicator: any Communicator, interrupted: () -> Bool) throws {
        guard try !result(interrupted: interrupted) else { return }
        try Self.requireSame(plan, communicator: communicator, interrupted: interrupted)
        throw NNError.invalidArgument(
            function: "fit",
            message:
                "distributed training needs the same trainable parameters and bucket size on "
                + "every rank, and another rank's differ")
    }

    deinit {
        // Never waited for (the step failed first): the transport may still write the floats.
        if outcome == nil { _ = Unmanaged.passRetained(values) }
    }

    /// A 48-bit FNV-1a digest of the plan's numbers (the same on every rank and run).
    static func digest(of plan: [[Int]]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in encoded(plan) {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash & 0xFFFF_FFFF_FFFF
    }

    /// Fails on every rank unless every rank has the bucket plan `plan`: the plans are
    /// gathered and compared, and the error says what differs.
    ///
    /// - Throws: `NNError.invalidArgument` when another rank's plan differs, or the gather's
    ///   `CommunicationError`.
    static func requireSame(
        _ plan: [[Int]], communicator: any Communicator, interrupted: () -> Bool
    ) throws {
        let mine = encoded(plan)
        let plans = try communicator.allGather(mine, interrupted: interrupted)
        for (rank, other) in plans.enumerated() where other != mine {
            throw NNError.invalidArgument(
                function: "fit",
                message:
                    "distributed training needs the same trainable parameters and bucket size on "
                    + "every rank; rank \(communicator.rank) reduces \(summary(plan)), rank "
                    + "\(rank) \(summary(decoded(other))): build the same model on every rank, "
                    + "freeze the same parameters (on every rank at the same step), and pass the "
                    + "same bucket size (bucketSize in a cell, bucketElements in Swift)")
        }
    }

    /// A plan as bytes: the number of buckets, then each bucket's member count and sizes
    /// (little-endian 64-bit integers).
    static func encoded(_ plan: [[Int]]) -> [UInt8] {
        let numbers = [plan.count] + plan.flatMap { [$0.count] + $0 }
        return numbers.flatMap { withUnsafeBytes(of: Int64($0).littleEndian, Array.init) }
    }

    /// The numbers of `encoded`, as a plan (what fits: a malformed tail is left out). The bytes
    /// come from another rank, so any numbers are taken without trapping (negative counts as 0).
    static func decoded(_ bytes: [UInt8]) -> [[Int]] {
        let numbers = stride(from: 0, to: bytes.count - 7, by: 8).map { start in
            bytes[start..<start + 8].reversed().reduce(0) { $0 << 8 | Int($1) }
        }
        var plan: [[Int]] = []
        var position = 1
        while plan.count < (numbers.first ?? 0), position < numbers.count {
            let available = numbers.count - position - 1
            let count = min(max(0, numbers[position]), available)
            plan.append(Array(numbers[(position + 1)..<(position + 1 + count)]))
            position += 1 + count
        }
        return plan
    }

    /// "53 floats of 4 trainable parameters in 1 bucket of [53]" (the first 8 buckets); sums
    /// wrap rather than trap (another rank's numbers may be anything).
    static func summary(_ plan: [[Int]]) -> String {
        let totals = plan.map { $0.reduce(0, &+) }
        let shown = totals.prefix(8).map(String.init).joined(separator: ", ")
        let buckets = plan.count == 1 ? "1 bucket" : "\(plan.count) buckets"
        return "\(totals.reduce(0, &+)) floats of \(plan.map(\.count).reduce(0, &+)) trainable "
            + "parameters in \(buckets) of [\(shown)\(totals.count > 8 ? ", …" : "")]"
    }
}
