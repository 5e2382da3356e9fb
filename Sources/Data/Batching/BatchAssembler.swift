import Synchronization
import Tensor

/// Turns a list of storage rows into a batch: gathers each row's values and converts them to
/// Float32 with the data set's scaling and normalisation in one pass, without allocating per
/// value, then gathers the targets.
///
/// Bytes become `(byte / divisor - mean) / std`, computed in that order as torchvision's
/// `ToTensor` and `Normalize` compute it, so batches match PyTorch's bit for bit; the
/// conversion runs 8 or 16 bytes per instruction (`VectorKernels.bytesToFloats`, faster than
/// the lookup table of 256 values per channel it replaced). Rows are read in shuffled
/// order, so each row's first read misses the cache and the TLB: every row of the batch is
/// touched first, so that those misses overlap, and then converted.
/// Float features are copied, or standardised when normalised.
struct BatchAssembler: Sendable {
    let features: FeatureStore
    let targets: TargetStore
    let normalization: Normalization?
    /// Values per channel of one example.
    let channelSize: Int
    /// Each channel's normalisation as (mean, standard deviation), or nil without one.
    let channelNormalization: [(mean: Float, deviation: Float)]?

    init(_ dataset: Dataset) {
        features = dataset.features
        targets = dataset.targets
        normalization = dataset.normalization
        let channels = dataset.features.channelCount
        channelSize = dataset.features.elementSize / channels
        channelNormalization = dataset.normalization.map { normalization in
            (0..<channels).map { (normalization.mean[$0], normalization.standardDeviation[$0]) }
        }
    }

    /// What a zero stored value (a black pixel) becomes in each channel.
    var fill: [Float] {
        (0..<features.channelCount).map { normalization?.apply(0, channel: $0) ?? 0 }
    }

    /// Writes the features of `rows` into `output`, which holds `rows.count × elementSize`
    /// values.
    func gatherFeatures(_ rows: ArraySlice<Int>, into output: UnsafeMutablePointer<Float>) {
        let size = features.elementSize
        switch features.values {
        case .bytes(let bytes, let divisor):
            bytes.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                // Split over threads as tensor operations split their work; the parts write
                // disjoint rows of the batch.
                Parallelism.forEachChunk(count: rows.count, costPerItem: size) { part in
                    let first = rows.startIndex + part.lowerBound
                    gatherBytes(
                        rows[first..<(first + part.count)], from: base, divisor: divisor,
                        into: output + part.lowerBound * size)
                }
            }
        case .floats(let floats):
            floats.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                var target = output
                for row in rows {
                    target.update(from: base + row * size, count: size)
                    target += size
                }
                guard let normalization else { return }
                standardize(output, count: rows.count, with: normalization)
            }
        }
    }

    /// Converts the byte rows `rows` of `source` into `output`, each byte divided by `divisor`
    /// and normalised per channel.
    private func gatherBytes(
        _ rows: ArraySlice<Int>, from source: UnsafePointer<UInt8>, divisor: Float,
        into output: UnsafeMutablePointer<Float>
    ) {
        let size = features.elementSize
        touchCacheLines(of: rows, base: source)
        var target = output
        for row in rows {
            var start = source + row * size
            for channel in 0..<features.channelCount {
                VectorKernels.bytesToFloats(
                    start, into: target, count: channelSize, divisor: divisor,
                    normalization: channelNormalization?[channel])
                target += channelSize
                start += channelSize
            }
        }
    }

    /// Starts bringing the features of `rows` into the caches without waiting: called with the
    /// next batch's rows once a batch is assembled, so that its rows (read in shuffled order,
    /// most of them from DRAM) arrive while the model trains on this one.
    func prefetchFeatures(_ rows: ArraySlice<Int>) {
        let size = features.elementSize
        switch features.values {
        case .bytes(let bytes, _):
            bytes.withUnsafeBytes { source in
                guard let base = source.baseAddress else { return }
                for row in rows where (row + 1) * size <= source.count {
                    VectorKernels.prefetch(base + row * size, bytes: size)
                }
            }
        case .floats(let floats):
            floats.withUnsafeBytes { source in
                guard let base = source.baseAddress else { return }
                let rowBytes = size * MemoryLayout<Float>.stride
                for row in rows where (row + 1) * rowBytes <= source.count {
                    VectorKernels.prefetch(base + row * rowBytes, bytes: rowBytes)
                }
            }
        }
    }

    /// Reads one byte of each cache line of every row first (Swift has no prefetch
    /// instruction): the reads are independent, so their cache and TLB misses are under way
    /// together instead of one row after another during the conversion.
    private func touchCacheLines(of rows: ArraySlice<Int>, base: UnsafePointer<UInt8>) {
        let size = features.elementSize
        guard size > 0 else { return }
        var sum: UInt8 = 0
        for row in rows {
            let start = base + row * size
            for offset in stride(from: 0, to: size, by: 64) { sum &+= start[offset] }
            sum &+= start[size - 1]
        }
        touchedBytes.store(sum, ordering: .relaxed)
    }

    /// Applies `normalization` in place to `count` examples of Float features.
    private func standardize(
        _ values: UnsafeMutablePointer<Float>, count: Int, with normalization: Normalization
    ) {
        var target = values
        for _ in 0..<count {
            for channel in 0..<features.channelCount {
                let mean = normalization.mean[channel]
                let deviation = normalization.standardDeviation[channel]
                for index in 0..<channelSize {
                    target[index] = (target[index] - mean) / deviation
                }
                target += channelSize
            }
        }
    }

    /// The targets of `rows`: Int32 [B] for classes, Float32 [B, k] for regression.
    func gatherTargets(_ rows: ArraySlice<Int>) throws(TensorError) -> Tensor {
        switch targets.values {
        case .classes(let labels):
            return try Tensor(rows.map { labels[$0] }, shape: [rows.count])
        case .values(let values, let width):
            var gathered: [Float] = []
            gathered.reserveCapacity(rows.count * width)
            for row in rows { gathered += values[(row * width)..<(row * width + width)] }
            return try Tensor(gathered, shape: [rows.count, width])
        }
    }
}

/// Where `touchCacheLines(of:base:)` leaves the bytes it read, so the reads are not optimised away.
private let touchedBytes = Atomic<UInt8>(0)
