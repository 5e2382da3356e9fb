import Tensor

/// One training step's gradient averaging, overlapped with the backward pass as PyTorch DDP's
/// reducer does it: the trainable parameters are cut into buckets of up to `bucketElements`
/// floats in reverse order (the order backward completes them); as soon as every gradient of a
/// bucket is complete, it is copied into the bucket's buffer, and once every earlier bucket has
/// started, the bucket's non-blocking allreduce starts while backward computes the rest. The
/// last bucket holds the first parameters, whose gradients complete when backward is all but
/// over: nothing is left to overlap, so `finish` reduces it at once with the communicator's
/// waiting `allReduce(agreedParts:into:…)`, which reads the gradients where backward left them
/// (nothing is copied into a bucket first) and writes the means straight into a new flat
/// tensor whose views become the gradients (as PyTorch DDP's bucket views: nothing is copied
/// back either); its sizes were agreed over the ranks once for the plan (`plan`,
/// `DataParallel`), so it takes no handshake per step. After backward, `finish` waits for
/// every bucket and gives the means to the gradients.
///
/// Buckets start strictly in order, whatever order their gradients complete in, so every rank
/// starts the same collectives in the same order (as MPI requires).
///
/// ```swift
/// let reduction = try parallel.beginStep(of: model, batchesPerUpdate: 1, interrupted: stop)
/// var (loss, grads) = try valueWithGradient(
///     of: model, observer: reduction.backwardObserver) { … }
/// try reduction.finish(&grads, interrupted: stop)
/// ```
final class OverlappedGradientReduction: GradientReduction, BackwardObserver {
    /// One bucket: consecutive parameters (in reverse order) reduced by one allreduce.
    private struct Bucket {
        /// Parameter indices (into the trainable parameters) and each one's offset in `buffer`.
        var members: [(index: Int, offset: Int)]
        var total: Int
        /// Where the gradients are gathered and reduced; nil for the last bucket (`lastParts`).
        var buffer: BucketBuffer?
        /// Gradients not complete yet.
        var missing: Int
        var reduction: (any PendingCollective)?
        var isFinished = false
    }

    private let communicator: any Communicator
    private let parameters: [Parameter]
    private var buckets: [Bucket] = []
    /// For each parameter: its bucket.
    private var bucketOfParameter: [Int]
    /// The next bucket to start (all earlier ones have).
    private var nextToStart = 0
    /// The first bucket whose reduction may still be running.
    private var firstUnfinished = 0
    /// The first error met while backward ran (reported by `finish`).
    private var failure: (any Error)?
    /// Whether the last bucket's reduction was begun and did not end (its wait threw).
    private var isLastBucketUnsettled = false
    /// The last bucket's gradients, in its members' order, as backward completed them (masked,
    /// as float32): reduced from where they lie.
    private var lastParts: [Tensor?] = []
    /// What happened, in order: for tests and `DataParallel.lastStepEvents`.
    private(set) var events: [String] = []
    /// The comparison of the plan over the ranks, started with the step: no bucket starts
    /// before it has found every rank's plan the same.
    private var planCheck: BucketPlanCheck?
    /// Whether backward has polled the comparison for up to `BucketPlanCheck.pollLimit` (once
    /// a step).
    private var hasPolledPlanCheck = false

    /// The step's buckets over `parameters` (the model's trainable parameters, in order), with
    /// `buffers` reused for all but the last (more are made when needed; `buffers` ends up
    /// holding them), and starts comparing the plan over the ranks (`BucketPlanCheck`).
    init(
        communicator: any Communicator, parameters: [Parameter], bucketElements: Int,
        buffers: inout [BucketBuffer]
    ) throws(CommunicationError) {
        self.communicator = communicator
        self.parameters = parameters
        bucketOfParameter = Array(repeating: 0, count: parameters.count)
        var layout: [(members: [(index: Int, offset: Int)], total: Int)] = []
        var current: [(index: Int, offset: Int)] = []
        var filled = 0
        for index in parameters.indices.reversed() {
            let count = parameters[index].value.elementCount
            if !current.isEmpty, filled + count > bucketElements {
                layout.append((current, filled))
                current = []
                filled = 0
            }
            current.append((index, filled))
            filled += count
        }
        if !current.isEmpty { layout.append((current, filled)) }
        for (number, bucket) in layout.enumerated() {
            var buffer: BucketBuffer?
            if number < layout.count - 1 {
                if buffers.count <= number { buffers.append(BucketBuffer()) }
                buffers[number].reserve(bucket.total)
                buffer = buffers[number]
            }
            for member in bucket.members { bucketOfParameter[member.index] = number }
            buckets.append(
                Bucket(
                    members: bucket.members, total: bucket.total, buffer: buffer,
                    missing: bucket.members.count, reduction: nil))
        }
        lastParts = Array(repeating: nil, count: layout.last?.members.count ?? 0)
        // Also with no buckets (every parameter frozen, maybe on this rank only): the peers
        // post the comparison whatever this rank's plan, and the empty plan has its digest.
        if communicator.size > 1 {
            planCheck = try BucketPlanCheck(plan: plan, communicator: communicator)
        }
    }

    /// The buckets' sizes: for each bucket in order, the element counts of its parameters in
    /// order. Every rank must have the same plan (`BucketPlanCheck` compares it over the ranks
    /// at every step): the reductions rely on it instead of a handshake each.
    var plan: [[Int]] {
        buckets.map { bucket in
            bucket.members.map { parameters[$0.index].value.elementCount }
        }
    }

    /// It watches the backward pass itself.
    var backwardObserver: (any BackwardObserver)? { self }

    /// The number of buckets (allreduces per step).
    var bucketCount: Int { buckets.count }

    /// Whether no reduction is running: none started, or every started one waited for (else
    /// the transport may still write into the buffers, which must then not be reused).
    var isSettled: Bool {
        !isLastBucketUnsettled && buckets.allSatisfy { $0.reduction == nil || $0.isFinished }
    }

    // MARK: - BackwardObserver

    /// Copies the gradient (masked, as float32) into its bucket (the last bucket keeps it as it
    /// is) and starts every bucket that is now full and next in line.
    func gradientIsComplete(leaf index: Int, _ gradient: Tensor) {
        guard failure == nil, bucketOfParameter.indices.contains(index) else { return }
        let bucketIndex = bucketOfParameter[index]
        do {
            var value = gradient.dtype == .float32 ? gradient : try gradient.converted(to: .float32)
            if let mask = parameters[index].mask { value = try value * mask }
            guard
                let position = buckets[bucketIndex].members.firstIndex(where: { $0.index == index })
            else { return }
            let offset = buckets[bucketIndex].members[position].offset
            if let buffer = buckets[bucketIndex].buffer {
                try value.withElements(of: Float.self) { source in
                    _ = UnsafeMutableBufferPointer(
                        rebasing: buffer.values[offset..<offset + source.count]
                    )
                    .update(fromContentsOf: source)
                }
            } else if lastParts.indices.contains(position) {
                lastParts[position] = value
            }
            buckets[bucketIndex].missing -= 1
            events.append("gradient \(index) complete")
            try startReadyBuckets()
        } catch {
            failure = error
        }
    }

    /// Lets the plan's comparison and the started reductions progress (MPI moves a
    /// non-blocking collective on only inside MPI calls).
    func backwardRuleDidRun() {
        guard failure == nil else { return }
        do {
            // Buckets that waited for the plan's comparison start once it has finished.
            if planCheck?.isFinished == false { try startReadyBuckets() }
            while firstUnfinished < nextToStart {
                guard let reduction = buckets[firstUnfinished].reduction,
                    try reduction.progress()
                else { return }
                buckets[firstUnfinished].isFinished = true
                events.append("bucket \(firstUnfinished) reduced")
                firstUnfinished += 1
            }
        } catch {
            failure = error
        }
    }

    // MARK: - After backward

    /// Waits for every bucket's reduction and replaces each gradient in `gradients` (and its
    /// parameter's `gradient`) by its mean over the ranks.
    ///
    /// - Throws: the first error met during backward, or the wait's `CommunicationError`.
    func finish(_ gradients: inout Gradients, interrupted: () -> Bool) throws {
        events.append("backward ended")
        if let failure { throw failure }
        if let planCheck {
            try planCheck.requireAgreement(communicator: communicator, interrupted: interrupted)
        }
        try startReadyBuckets()
        let incomplete = buckets.filter { $0.missing > 0 }.count
        guard incomplete == 0 else {
            throw NNError.unsupported(
                "data-parallel fit: \(incomplete) gradient buckets never became complete (the "
                    + "model's parameters changed during the step?)")
        }
        nextToStart = buckets.count
        var lastMean: Tensor?
        for index in buckets.indices where !buckets[index].isFinished {
            if let reduction = buckets[index].reduction {
                try reduction.wait(interrupted: interrupted)
            } else {
                // The last bucket: reduced now, waiting (nothing left to overlap with).
                events.append("bucket \(index) started")
                lastMean = try reduceLastBucket(interrupted: interrupted)
            }
            buckets[index].isFinished = true
            events.append("bucket \(index) reduced")
        }
        firstUnfinished = buckets.count
        for bucket in buckets {
            for member in bucket.members {
                guard gradients.entries.indices.contains(member.index) else { continue }
                let shape = gradients.entries[member.index].gradient.shape
                let count = parameters[member.index].value.elementCount
                let part = member.offset..<member.offset + count
                let mean: Tensor
                if let buffer = bucket.buffer {
                    mean = try Tensor.filled(shape: shape, of: Float.self) { target in
                        _ = target.update(
                            fromContentsOf: UnsafeMutableBufferPointer(
                                rebasing: buffer.values[part])
                        )
                    }
                } else if let lastMean {
                    mean = try lastMean[part].reshaped(shape)  // a view: no copy
                } else {
                    continue
                }
                gradients.entries[member.index].gradient = mean
                parameters[member.index].gradient = mean
            }
        }
    }

    /// The last bucket's mean over the ranks: reduced from its gradients where they lie (which
    /// stay as they were) straight into a new flat tensor, with no handshake (the plan was
    /// agreed).
    private func reduceLastBucket(interrupted: () -> Bool) throws -> Tensor {
        let parts = lastParts.compactMap { $0 }
        guard parts.count == lastParts.count else {
            throw NNError.unsupported(
                "data-parallel fit: the last gradient bucket was never filled")
        }
        isLastBucketUnsettled = true
        let mean = try Tensor.gatheringFloats(of: parts) { values, result, owner in
            try communicator.allReduce(
                agreedParts: values, into: result, owner: owner, op: .mean,
                interrupted: interrupted)
        }
        isLastBucketUnsettled = false
        return mean
    }

    /// Starts, in order, every bucket but the last whose gradients are all complete (`finish`
    /// reduces the last).
    private func startReadyBuckets() throws {
        // Not before every rank's plan was found the same (`finish` waits for that).
        if let planCheck, !planCheck.isFinished, !hasPolledPlanCheck,
            nextToStart < buckets.count - 1, buckets[nextToStart].missing == 0
        {
            hasPolledPlanCheck = true
            _ = try planCheck.progress(forAtMost: BucketPlanCheck.pollLimit)
        }
        if let planCheck, try planCheck.progress() != true { return }
        while nextToStart < buckets.count - 1, buckets[nextToStart].missing == 0 {
            let bucket = buckets[nextToStart]
            guard let buffer = bucket.buffer else { return }
            buckets[nextToStart].reduction = try communicator.startAllReduce(
                UnsafeMutableBufferPointer(rebasing: buffer.values[..<bucket.total]),
                owner: buffer, op: .mean)
            events.append("bucket \(nextToStart) started")
            nextToStart += 1
        }
    }

    deinit {
        // A reduction started and never waited for (the step failed): the transport may still
        // write into its buffer, which therefore lives on.
        for bucket in buckets where bucket.reduction != nil && !bucket.isFinished {
            if let buffer = bucket.buffer { _ = Unmanaged.passRetained(buffer) }
        }
    }
}
