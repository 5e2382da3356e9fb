import Tensor

/// Data-parallel training over the ranks of a `Communicator`, PyTorch DDP's scheme: every rank
/// holds the whole model and trains on its own shard of the data (`Dataset.shard(_:of:)`);
/// `fit(…, distributed:)` then
/// 1. broadcasts rank 0's parameters and buffers at the start, so every rank starts equal;
/// 2. averages each update's gradients over the ranks with allreduce, in buckets of
///    `bucketElements` floats (concatenated gradients, one allreduce per bucket; not overlapped
///    with the backward pass, which the tape runs as one call), so every rank applies the same
///    update and the weights stay equal after every step;
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

    /// The default bucket: 1 Mi floats (4 MiB); see docs/distributed.md.
    public static let defaultBucketElements = 1 << 20

    /// Data parallelism over `communicator` with buckets of `bucketElements` floats.
    public init(communicator: any Communicator, bucketElements: Int = defaultBucketElements) {
        self.communicator = communicator
        self.bucketElements = max(1, bucketElements)
    }

    /// Whether this rank reports progress (rank 0).
    var reportsProgress: Bool { communicator.rank == 0 }

    /// Gives every rank rank 0's parameters and buffers.
    func broadcastState(of model: any Layer, interrupted: () -> Bool) throws {
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

    /// Replaces every gradient by its mean over the ranks, bucket by bucket.
    func averageGradients(_ gradients: inout Gradients, interrupted: () -> Bool) throws {
        var bucket: [Float] = []
        bucket.reserveCapacity(bucketElements)
        var members: [Int] = []
        func flush() throws {
            guard !members.isEmpty else { return }
            try communicator.allReduce(&bucket, op: .mean, interrupted: interrupted)
            var offset = 0
            for index in members {
                let shape = gradients.entries[index].gradient.shape
                let count = gradients.entries[index].gradient.elementCount
                gradients.entries[index].gradient = try Tensor(
                    Array(bucket[offset..<offset + count]), shape: shape)
                offset += count
            }
            bucket.removeAll(keepingCapacity: true)
            members.removeAll()
        }
        for index in gradients.entries.indices {
            let gradient = gradients.entries[index].gradient
            if !members.isEmpty, bucket.count + gradient.elementCount > bucketElements {
                try flush()
            }
            bucket.append(contentsOf: try gradient.converted(to: .float32).scalars)
            members.append(index)
        }
        try flush()
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
