import Tensor

/// Turns a list of storage rows into a batch: gathers each row's values and converts them to
/// Float32 with the data set's scaling and normalisation in one pass, without allocating per
/// value, then gathers the targets.
///
/// Bytes become `(byte / divisor - mean) / std`, computed in that order as torchvision's
/// `ToTensor` and `Normalize` compute it, so batches match PyTorch's bit for bit; the loops are
/// plain enough for the compiler to vectorize. Float features are copied, or standardised when
/// normalised.
struct BatchAssembler: Sendable {
    let features: FeatureStore
    let targets: TargetStore
    let normalization: Normalization?
    /// Values per channel of one example.
    let channelSize: Int

    init(_ dataset: Dataset) {
        features = dataset.features
        targets = dataset.targets
        normalization = dataset.normalization
        let channels = dataset.features.channelCount
        channelSize = dataset.features.elementSize / channels
    }

    /// What a zero stored value (a black pixel) becomes in each channel.
    var fill: [Float] {
        (0..<features.channelCount).map { normalization?.apply(0, channel: $0) ?? 0 }
    }

    /// Writes the features of `rows` into `output`, which holds `rows.count × elementSize`
    /// values.
    func gatherFeatures(_ rows: ArraySlice<Int>, into output: UnsafeMutablePointer<Float>) {
        let size = features.elementSize
        let channels = features.channelCount
        switch features.values {
        case .bytes(let bytes, let divisor):
            bytes.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                var target = output
                for row in rows {
                    var start = base + row * size
                    for channel in 0..<channels {
                        convert(start, into: target, divisor: divisor, channel: channel)
                        target += channelSize
                        start += channelSize
                    }
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

    /// Converts one channel of one example from bytes.
    @inline(__always)
    private func convert(
        _ source: UnsafePointer<UInt8>, into target: UnsafeMutablePointer<Float>, divisor: Float,
        channel: Int
    ) {
        let count = channelSize
        guard let normalization else {
            for index in 0..<count { target[index] = Float(source[index]) / divisor }
            return
        }
        let mean = normalization.mean[channel]
        let deviation = normalization.standardDeviation[channel]
        for index in 0..<count {
            target[index] = (Float(source[index]) / divisor - mean) / deviation
        }
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
