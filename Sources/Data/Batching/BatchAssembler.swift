import Tensor

/// Turns a list of storage rows into a batch: gathers each row's values and converts them to
/// Float32 with the data set's scaling and normalisation in one pass, without allocating per
/// value, then gathers the targets.
///
/// Bytes go through a 256-entry table per channel holding `(byte / divisor - mean) / std`
/// computed exactly as torchvision's `ToTensor` and `Normalize` compute it, so batches match
/// PyTorch's bit for bit; Float features are copied, or standardised when normalised.
struct BatchAssembler: Sendable {
    let features: FeatureStore
    let targets: TargetStore
    let normalization: Normalization?
    /// For byte features: 256 converted values per channel.
    let byteTable: [Float]
    /// Values per channel of one example.
    let channelSize: Int

    init(_ dataset: Dataset) {
        features = dataset.features
        targets = dataset.targets
        normalization = dataset.normalization
        let channels = dataset.features.channelCount
        channelSize = dataset.features.elementSize / channels
        if case .bytes(_, let divisor) = dataset.features.values {
            let normalization = dataset.normalization
            byteTable = (0..<channels).flatMap { channel in
                (0..<256).map { byte in
                    let value = Float(byte) / divisor
                    return normalization?.apply(value, channel: channel) ?? value
                }
            }
        } else {
            byteTable = []
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
        let channels = features.channelCount
        switch features.values {
        case .bytes(let bytes, _):
            bytes.withUnsafeBufferPointer { source in
                byteTable.withUnsafeBufferPointer { table in
                    guard let base = source.baseAddress, let table = table.baseAddress else {
                        return
                    }
                    var target = output
                    for row in rows {
                        var start = base + row * size
                        for channel in 0..<channels {
                            let lookup = table + channel * 256
                            for index in 0..<channelSize {
                                target[index] = lookup[Int(start[index])]
                            }
                            target += channelSize
                            start += channelSize
                        }
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
