/// Per-channel standardisation, `(x - mean[c]) / standardDeviation[c]`, applied to every batch
/// as it is made (one fused multiply-add per value, in the same pass as the byte conversion).
///
/// Compute it from the training set and apply the same statistics to the test set, as
/// torchvision's `Normalize` is used:
///
/// ```swift
/// let stats = try data.train.normalizationStatistics()   // mean ≈ 0.286, std ≈ 0.353
/// let train = try data.train.normalized(stats)
/// let test = try data.test.normalized(stats)
/// ```
public struct Normalization: Sendable, Equatable, CustomStringConvertible {
    /// The mean of each channel (images: per colour channel; tables: per feature).
    public let mean: [Float]
    /// The standard deviation of each channel, each positive.
    public let standardDeviation: [Float]

    /// Standardisation with the given statistics, one value per channel.
    ///
    /// - Throws: `invalidArgument` if the lists differ in length, or a value is not finite or a
    ///   deviation is not positive.
    public init(mean: [Float], standardDeviation: [Float]) throws(DataError) {
        guard mean.count == standardDeviation.count, !mean.isEmpty else {
            throw .invalidArgument(
                operation: "Normalization",
                message: "needs one mean and one standard deviation per channel, got "
                    + "\(mean.count) and \(standardDeviation.count)")
        }
        guard mean.allSatisfy(\.isFinite),
            standardDeviation.allSatisfy({ $0.isFinite && $0 > 0 })
        else {
            throw .invalidArgument(
                operation: "Normalization",
                message: "means must be finite and standard deviations finite and positive")
        }
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// "mean [0.286], std [0.353]".
    public var description: String {
        let format = { (values: [Float]) in
            "[" + values.map { String(format3($0)) }.joined(separator: ", ") + "]"
        }
        return "mean \(format(mean)), std \(format(standardDeviation))"
    }

    /// `value` standardised in `channel`: `(value - mean) / std`, in that order of operations,
    /// as torchvision's `Normalize`.
    @inline(__always)
    func apply(_ value: Float, channel: Int) -> Float {
        (value - mean[channel]) / standardDeviation[channel]
    }
}

/// `value` rounded to three decimals, for displays.
func format3(_ value: Float) -> Float {
    (value * 1000).rounded() / 1000
}

// MARK: - Computing and applying

extension Dataset {
    /// The mean and standard deviation of each channel over this data set's examples (as
    /// stored, before any normalisation it already has).
    ///
    /// A channel whose values are all equal gets a standard deviation of 1, so normalising
    /// by it only centres it.
    public func normalizationStatistics() throws(DataError) -> Normalization {
        let channels = features.channelCount
        let perChannel = features.elementSize / channels
        var sums = [Double](repeating: 0, count: channels)
        var squares = [Double](repeating: 0, count: channels)
        switch features.values {
        case .bytes(let bytes, let divisor):
            accumulate(bytes, perChannel: perChannel, sums: &sums, squares: &squares) {
                Double($0)
            }
            for channel in 0..<channels {
                sums[channel] /= Double(divisor)
                squares[channel] /= Double(divisor) * Double(divisor)
            }
        case .floats(let floats):
            accumulate(floats, perChannel: perChannel, sums: &sums, squares: &squares) {
                Double($0)
            }
        }
        let n = Double(max(count, 1) * perChannel)
        let means = sums.map { $0 / n }
        let deviations = zip(squares, means).map { square, mean -> Float in
            let variance = max(square / n - mean * mean, 0)
            let deviation = Float(variance.squareRoot())
            return deviation > 1e-12 && deviation.isFinite ? deviation : 1
        }
        return try Normalization(mean: means.map { Float($0) }, standardDeviation: deviations)
    }

    /// The same examples, standardised per channel with `statistics` as batches are made (nil:
    /// statistics computed from this data set).
    ///
    /// - Throws: `incompatible` if the statistics have another number of channels.
    public func normalized(_ statistics: Normalization? = nil) throws(DataError) -> Dataset {
        guard let statistics else { return try normalized(normalizationStatistics()) }
        guard statistics.mean.count == features.channelCount else {
            throw .incompatible(
                operation: "normalized",
                message: "the statistics have \(statistics.mean.count) channels, the data set "
                    + "\(features.channelCount) (elements of shape \(elementShape))")
        }
        return view(rows: rows, normalization: .some(statistics))
    }

    /// The same examples without normalisation.
    public func unnormalized() -> Dataset {
        view(rows: rows, normalization: .some(nil))
    }

    /// Sums values and squares per channel over this set's rows (exactly, in Double).
    private func accumulate<Value>(
        _ values: [Value], perChannel: Int, sums: inout [Double], squares: inout [Double],
        _ convert: (Value) -> Double
    ) {
        let size = features.elementSize
        values.withUnsafeBufferPointer { buffer in
            for row in rows {
                for channel in sums.indices {
                    var sum = 0.0
                    var square = 0.0
                    let start = row * size + channel * perChannel
                    for index in start..<(start + perChannel) {
                        let value = convert(buffer[index])
                        sum += value
                        square += value * value
                    }
                    sums[channel] += sum
                    squares[channel] += square
                }
            }
        }
    }
}
