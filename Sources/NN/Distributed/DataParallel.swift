import Tensor

/// Data-parallel training over the ranks of a `Communicator`, PyTorch DDP's scheme: every rank
/// holds the whole model and trains on its own shard of the data (`Dataset.shard(_:of:)`);
/// `fit(…, distributed:)` then
/// 1. broadcasts rank 0's parameters and buffers at the start, so every rank starts equal;
/// 2. averages each update's gradients over the ranks with allreduce, in buckets of
///    `bucketElements` floats overlapped with the backward pass (`OverlappedGradientReduction`:
///    a bucket's non-blocking allreduce starts as soon as backward has completed its gradients,
///    in reverse parameter order, the last bucket (complete only as backward ends) is reduced
///    at once, waiting, and every bucket is waited for before the optimizer step; with
///    gradient accumulation, or `overlapsBackward` false, after backward instead:
///    `averageGradients`), so every rank applies the same update and the weights stay equal
///    after every step;
/// 3. reduces each epoch's metrics over the ranks (weighted by examples: exact for the loss,
///    accuracy and the regression errors);
/// 4. reports progress on rank 0 only.
///
/// BatchNorm's running statistics stay per rank (each rank's batches), as in DDP without
/// SyncBatchNorm; rank 0's are the ones `broadcast` and `cluster.pull` hand on.
///
/// Two ranks with batches of 64 on strided shards of the same examples, without shuffling, make
/// the same updates as one process with batches of 128 (the mean of two means of 64 is the mean
/// of 128), up to float rounding.
///
/// ```swift
/// try model.fit(data.shard(rank, of: size), batchSize: 64, optimizer: adam,
///               distributed: DataParallel(communicator: world))
/// ```
public final class DataParallel {
    /// The ranks training together.
    public let communicator: any Communicator
    /// Floats per allreduce (docs/distributed.md derives the default from the α–β model).
    public let bucketElements: Int

    /// Whether each step's allreduces start during the backward pass (else after it).
    public let overlapsBackward: Bool

    /// The default bucket: 1 Mi floats (4 MiB); see docs/distributed.md.
    public static let defaultBucketElements = 1 << 20

    /// The reused buffers of the overlapped steps' buckets.
    private var bucketBuffers: [BucketBuffer] = []
    /// The last overlapped step's reduction.
    private var lastReduction: OverlappedGradientReduction?
    /// The parameters of the model being trained (`namedParameters()` builds every name, at
    /// each step otherwise); found again at each fit's start (`broadcastState`) and for another
    /// model. Which are frozen is asked at every step.
    private var modelParameters: KnownParameters?

    private struct KnownParameters {
        weak var model: (any Layer)?
        let parameters: [Parameter]
    }

    /// Data parallelism over `communicator` with buckets of `bucketElements` floats, reduced
    /// during the backward pass when `overlapsBackward`.
    public init(
        communicator: any Communicator, bucketElements: Int = defaultBucketElements,
        overlapsBackward: Bool = true
    ) {
        self.communicator = communicator
        self.bucketElements = max(1, bucketElements)
        self.overlapsBackward = overlapsBackward
    }

    /// What the last overlapped training step did, in order: `gradient i complete` (i: the
    /// trainable parameter's index), `bucket k started`, `backward ended`, `bucket k reduced`
    /// (empty before one, or without overlap). A bucket started before a gradient completed
    /// overlapped the backward pass; the last bucket starts after `backward ended`.
    public var lastStepEvents: [String] { lastReduction?.events ?? [] }

    /// A new update's reduction: over `model`'s trainable parameters during the backward pass
    /// (`OverlappedGradientReduction`) when `overlapsBackward` and the update follows one batch,
    /// else after it (`GradientReductionAfterBackward`: accumulated gradients are complete only
    /// after the group's last batch). The overlapped reduction starts comparing its bucket plan
    /// over the ranks at once (`BucketPlanCheck`, every step on every rank): a plan that differs
    /// is an error on every rank from its `finish`.
    ///
    /// - Throws: the comparison's `CommunicationError`.
    func beginStep(of model: any Layer, batchesPerUpdate: Int, interrupted: () -> Bool) throws
        -> any GradientReduction
    {
        guard overlapsBackward, batchesPerUpdate == 1 else {
            return GradientReductionAfterBackward(parallel: self)
        }
        // A step that failed may have left reductions running into its buffers: new ones.
        if let lastReduction, !lastReduction.isSettled { bucketBuffers = [] }
        let all: [Parameter]
        if let known = modelParameters, known.model === model {
            all = known.parameters
        } else {
            all = model.namedParameters().map(\.parameter)
            modelParameters = KnownParameters(model: model, parameters: all)
        }
        let parameters = all.filter { !$0.isFrozen }
        let reduction = try OverlappedGradientReduction(
            communicator: communicator, parameters: parameters, bucketElements: bucketElements,
            buffers: &bucketBuffers)
        lastReduction = reduction
        return reduction
    }

    /// Whether this rank reports progress (rank 0).
    var reportsProgress: Bool { communicator.rank == 0 }

    /// Gives every rank rank 0's parameters and buffers.
    func broadcastState(of model: any Layer, interrupted: () -> Bool) throws {
        modelParameters = nil
        var bytes =
            communicator.rank == 0
            ? try SafeTensorsFile(tensors: model.stateDict()).encoded() : []
        try communicator.broadcast(&bytes, from: 0, interrupted: interrupted)
        if communicator.rank != 0 {
            try model.load(stateDict: try SafeTensorsFile(decoding: bytes).tensors)
        }
    }

    /// Fails unless every rank has `count` batches per epoch (else one rank would wait for an
    /// allreduce the others never start).
    func requireSameBatchCount(_ count: Int, interrupted: () -> Bool) throws {
        var counts = [Float(count), -Float(count)]
        try communicator.allReduce(&counts, op: .max, interrupted: interrupted)
        guard counts[0] == Float(count), -counts[1] == Float(count) else {
            throw NNError.invalidArgument(
                function: "fit",
                message:
                    "distributed training needs the same number of batches on every rank; this "
                    + "rank has \(count), another between \(Int(-counts[1])) and \(Int(counts[0])): "
                    + "give each rank data.shard(rank, of: worldSize) (equal sizes)")
        }
    }

    /// Replaces every gradient by its mean over the ranks, bucket by bucket: consecutive
    /// gradients up to `bucketElements` floats together. A bucket of one gradient (a large
    /// weight) is reduced in place in the gradient's own storage, with no copy; a bucket of
    /// several small ones is gathered into one reused buffer, reduced, and copied back (one
    /// allreduce instead of many small ones, whose latency would dominate).
    func averageGradients(_ gradients: inout Gradients, interrupted: () -> Bool) throws {
        for index in gradients.entries.indices
        where gradients.entries[index].gradient.dtype != .float32 {
            gradients.entries[index].gradient = try gradients.entries[index].gradient.converted(
                to: .float32)
        }
        var buckets: [Range<Int>] = []
        var start = 0
        var filled = 0
        for index in gradients.entries.indices {
            let count = gradients.entries[index].gradient.elementCount
            if index > start, filled + count > bucketElements {
                buckets.append(start..<index)
                start = index
                filled = 0
            }
            filled += count
        }
        if start < gradients.entries.count { buckets.append(start..<gradients.entries.count) }
        // The ranks' reductions pair up only when every rank has these buckets (a parameter
        // frozen on one rank only would not): compared first, as the overlapped steps do.
        if communicator.size > 1 {
            let plan = buckets.map { members in
                members.map { gradients.entries[$0].gradient.elementCount }
            }
            try BucketPlanCheck(plan: plan, communicator: communicator)
                .requireAgreement(communicator: communicator, interrupted: interrupted)
        }
        let buffer = BucketBuffer()
        for members in buckets {
            if members.count == 1, let only = members.first {
                try gradients.entries[only].gradient.withUnsafeMutableFloats { values, owner in
                    try communicator.allReduce(
                        values, owner: owner, op: .mean, interrupted: interrupted)
                }
                continue
            }
            let total = members.reduce(0) { $0 + gradients.entries[$1].gradient.elementCount }
            buffer.reserve(total)
            var offset = 0
            for index in members {
                try gradients.entries[index].gradient.withUnsafeMutableFloats { values, _ in
                    _ = UnsafeMutableBufferPointer(rebasing: buffer.values[offset...])
                        .update(fromContentsOf: values)
                    offset += values.count
                }
            }
            try communicator.allReduce(
                UnsafeMutableBufferPointer(rebasing: buffer.values[..<total]), owner: buffer,
                op: .mean, interrupted: interrupted)
            offset = 0
            for index in members {
                try gradients.entries[index].gradient.withUnsafeMutableFloats { values, _ in
                    _ = values.update(
                        fromContentsOf: UnsafeMutableBufferPointer(
                            rebasing: buffer.values[offset..<offset + values.count]))
                    offset += values.count
                }
            }
        }
    }

    /// Each metric's mean over the ranks, weighted by each rank's `count` of examples.
    func reduce(_ values: [String: Double], count: Int, interrupted: () -> Bool) throws
        -> [String: Double]
    {
        let names = values.keys.sorted()
        var sums = names.map { Float((values[$0] ?? 0) * Double(count)) } + [Float(count)]
        try communicator.allReduce(&sums, op: .sum, interrupted: interrupted)
        let total = Double(max(sums[names.count], 1))
        var reduced: [String: Double] = [:]
        for (index, name) in names.enumerated() { reduced[name] = Double(sums[index]) / total }
        return reduced
    }
}

/// The reused memory of `DataParallel`'s multi-gradient buckets; a class, so that an
/// interrupted allreduce can keep it alive (MPI may still write into it).
final class BucketBuffer {
    private(set) var values = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)

    /// Makes room for at least `count` floats (the contents are not kept).
    func reserve(_ count: Int) {
        guard values.count < count else { return }
        values.deallocate()
        values = .allocate(capacity: count)
        values.initialize(repeating: 0)
    }

    deinit { values.deallocate() }
}
