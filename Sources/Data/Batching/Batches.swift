import Tensor

/// The mini-batches of one epoch over a data set: the order is drawn when they are made, and
/// each batch is assembled (gathered, converted, normalised, augmented) when it is asked for.
///
/// ```swift
/// var rng = RandomGenerator(seed: 42)
/// let epoch = try data.train.batches(of: 128, shuffled: true, using: &rng)   // 469 batches
/// var iterator = epoch.makeIterator()
/// while let batch = try iterator.next() { train(batch.x, batch.y) }
/// ```
///
/// `batch(at:)` gives any batch directly (it is the same batch the iterator yields); the
/// features are converted straight into the batch tensor's storage, with no intermediate array.
public struct Batches: Sendable {
    /// The data set batched.
    public let dataset: Dataset
    /// Examples per batch (the last one may have fewer unless `dropLast`).
    public let batchSize: Int
    /// The augmentations applied to every batch, in order.
    public let augmentations: [Augmentation]
    /// Storage rows in batch order.
    let order: [Int]
    /// Positions in `dataset` (0..<dataset.count) in batch order: `order[i]` is
    /// `dataset.rows[positions[i]]`.
    let positions: [Int]
    /// The root of each batch's augmentation generator.
    let seed: UInt64
    let assembler: BatchAssembler

    init(
        dataset: Dataset, batchSize: Int, positions: [Int], augmentations: [Augmentation],
        seed: UInt64
    ) {
        self.dataset = dataset
        self.batchSize = batchSize
        self.positions = positions
        self.order = positions.map { dataset.rows[$0] }
        self.augmentations = augmentations
        self.seed = seed
        self.assembler = BatchAssembler(dataset)
    }

    /// The number of batches.
    public var count: Int { order.isEmpty ? 0 : (order.count - 1) / batchSize + 1 }

    /// The batch at `index` (0-based).
    ///
    /// - Throws: `invalidArgument` if `index` is outside `0..<count`; `tensor` if the memory
    ///   budget refuses the batch.
    public func batch(at index: Int) throws(DataError) -> Batch {
        guard index >= 0, index < count else {
            throw .invalidArgument(
                operation: "batch(at:)",
                message: "batch \(index) is out of range for \(count) batches")
        }
        let start = index * batchSize
        let rows = order[start..<(start + min(batchSize, order.count - start))]
        let elementShape = dataset.elementShape
        var generator = RandomGenerator(seed: seed &+ UInt64(index) &* 0x9e37_79b9_7f4a_7c15)
        return try tensorOperation { () throws(TensorError) in
            let features = try Tensor(unsafeUninitializedShape: [rows.count] + elementShape) {
                values in
                guard let base = values.baseAddress else { return }
                assembler.gatherFeatures(rows, into: base)
                // The next batch's rows, on their way to the caches while this one trains.
                let next = start + rows.count
                if next < order.count {
                    assembler.prefetchFeatures(
                        order[next..<(next + min(batchSize, order.count - next))])
                }
                if !augmentations.isEmpty {
                    var augmenter = Augmenter(elementShape: elementShape, fill: assembler.fill)
                    augmenter.apply(
                        augmentations, to: base, batchSize: rows.count, generator: &generator)
                }
            }
            return Batch(x: features, y: try assembler.gatherTargets(rows))
        }
    }

    /// The positions in `dataset` of the examples of batch `index`, in the batch's order:
    /// what lets a caller pair each example with a value computed once per example (a
    /// teacher's cached logits in distillation).
    ///
    /// ```swift
    /// let rows = try epoch.positions(ofBatch: 0)   // e.g. [5123, 17, 40022, …]
    /// ```
    ///
    /// - Throws: `invalidArgument` if `index` is outside `0..<count`.
    public func positions(ofBatch index: Int) throws(DataError) -> ArraySlice<Int> {
        guard index >= 0, index < count else {
            throw .invalidArgument(
                operation: "positions(ofBatch:)",
                message: "batch \(index) is out of range for \(count) batches")
        }
        let start = index * batchSize
        return positions[start..<(start + min(batchSize, positions.count - start))]
    }

    /// An iterator over the batches in order.
    ///
    /// - Parameter prefetching: whether to assemble the next batch on a background thread
    ///   while the caller works on the current one (the batches are the same either way).
    public func makeIterator(prefetching: Bool = false) -> BatchIterator {
        BatchIterator(batches: self, prefetching: prefetching)
    }
}

// MARK: - Making batches from a data set

extension Dataset {
    /// The mini-batches of one epoch.
    ///
    /// ```swift
    /// var batches = try data.train.batches(of: 128, shuffled: true).makeIterator()
    /// while let (x, y) = try batches.next()?.pair { … }
    /// ```
    /// - Parameters:
    ///   - size: examples per batch.
    ///   - shuffled: whether to visit the examples in a random order drawn from `generator`.
    ///   - dropLast: whether to leave out a last batch smaller than `size`.
    ///   - augmentations: random transforms applied to every batch, in order.
    ///   - generator: the source of the order and of the augmentations' draws.
    /// - Throws: `invalidArgument` for a size below 1 or an augmentation that does not fit the
    ///   examples' shape.
    public func batches(
        of size: Int, shuffled: Bool = false, dropLast: Bool = false,
        augmentations: [Augmentation] = [], using generator: inout RandomGenerator
    ) throws(DataError) -> Batches {
        guard size >= 1 else {
            throw .invalidArgument(
                operation: "batches", message: "the batch size must be at least 1, got \(size)")
        }
        for augmentation in augmentations { try augmentation.validate(for: elementShape) }
        // Shuffling positions draws exactly what shuffling the rows did (the same
        // Fisher–Yates over as many elements), so seeded orders are unchanged.
        var positions = Array(0..<count)
        if shuffled { positions.shuffle(using: &generator) }
        if dropLast { positions.removeLast(positions.count % size) }
        return Batches(
            dataset: self, batchSize: size, positions: positions, augmentations: augmentations,
            seed: generator.next())
    }

    /// The mini-batches of one epoch, drawing from the default generator (see `seed`).
    public func batches(
        of size: Int, shuffled: Bool = false, dropLast: Bool = false,
        augmentations: [Augmentation] = []
    ) throws(DataError) -> Batches {
        var generator = RandomGenerator.withDefault { $0.split() }
        return try batches(
            of: size, shuffled: shuffled, dropLast: dropLast, augmentations: augmentations,
            using: &generator)
    }

    /// The examples at `indices` (positions in this data set) as one batch, converted and
    /// normalised as `batches` would.
    ///
    /// ```swift
    /// let first16 = try data.train.batch([Int](0..<16))   // x [16, 1, 28, 28]
    /// ```
    public func batch(_ indices: [Int]) throws(DataError) -> Batch {
        let selected = try subset(indices)
        guard !indices.isEmpty else {
            return try tensorOperation { () throws(TensorError) in
                Batch(
                    x: try Tensor.zeros([0] + elementShape),
                    y: isClassification
                        ? try Tensor.zeros([0], dtype: .int32) : try Tensor.zeros([0, targetWidth]))
            }
        }
        return try Batches(
            dataset: selected, batchSize: max(indices.count, 1),
            positions: Array(0..<selected.count),
            augmentations: [], seed: 0
        ).batch(at: 0)
    }
}
