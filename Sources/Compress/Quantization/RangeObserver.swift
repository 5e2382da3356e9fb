import CInt8Kernels
import Foundation
import Tensor

/// Watches the values a layer receives during calibration and chooses the range to quantize
/// them to by a `CalibrationMethod`. It keeps the running minimum and maximum and, for the
/// percentile and entropy methods, a strided sample of at most `sampleLimit` values.
final class RangeObserver {
    /// The most values kept for the histogram methods.
    static let sampleLimit = 1 << 21
    /// The smallest value seen (+∞ before the first).
    private(set) var low = Float.infinity
    /// The largest value seen (−∞ before the first).
    private(set) var high = -Float.infinity
    /// The kept values.
    private(set) var samples: [Float] = []
    private let keepsSamples: Bool

    init(method: CalibrationMethod) {
        keepsSamples = method != .minMax
    }

    /// Whether anything was observed.
    var isEmpty: Bool { low > high }

    /// Records the values of the float32 tensor `x` (NaNs are ignored).
    func observe(_ x: Tensor) throws {
        try x.withElements(of: Float.self) { values in
            guard let base = values.baseAddress, !values.isEmpty else { return }
            var batchLow: Float = 0
            var batchHigh: Float = 0
            tb_min_max(base, values.count, &batchLow, &batchHigh)
            low = Swift.min(low, batchLow)
            high = Swift.max(high, batchHigh)
            guard keepsSamples, samples.count < Self.sampleLimit else { return }
            let share = Self.sampleLimit / 8
            let stride = Swift.max(1, (values.count + share - 1) / share)
            var index = 0
            while index < values.count, samples.count < Self.sampleLimit {
                if !values[index].isNaN { samples.append(values[index]) }
                index += stride
            }
        }
    }

    /// The range chosen by `method` from what was observed (`[0, 0]` when nothing was).
    func range(_ method: CalibrationMethod) throws -> ClosedRange<Float> {
        guard !isEmpty, low.isFinite, high.isFinite else {
            guard isEmpty else {
                throw CompressError.unsupported(
                    function: "quantize",
                    message: "calibration saw infinite activations (\(low)...\(high)); check the "
                        + "model and the calibration data")
            }
            return 0...0
        }
        switch method {
        case .minMax:
            return low...high
        case .percentile(let percent):
            guard percent > 50, percent <= 100 else {
                throw CompressError.invalidArgument(
                    function: "quantize",
                    message: "the percentile must be in (50, 100], got \(percent)")
            }
            return Self.percentileRange(samples.sorted(), percent: percent) ?? low...high
        case .entropy:
            let threshold = Self.entropyThreshold(samples, nonNegative: low >= 0)
            guard let threshold, threshold > 0 else { return low...high }
            return Swift.max(low, -threshold)...Swift.min(high, threshold)
        }
    }

    /// The `100 − percent` and `percent` percentiles of sorted values.
    static func percentileRange(_ sorted: [Float], percent: Double) -> ClosedRange<Float>? {
        guard sorted.count > 1 else { return sorted.first.map { $0...$0 } }
        let last = Double(sorted.count - 1)
        let top = Int((percent / 100 * last).rounded(.up))
        let bottom = Int(((100 - percent) / 100 * last).rounded(.down))
        let high = sorted[Swift.min(sorted.count - 1, Swift.max(0, top))]
        let lowValue = sorted[Swift.min(sorted.count - 1, Swift.max(0, bottom))]
        return lowValue...Swift.max(lowValue, high)
    }

    /// TensorRT's entropy calibration on the histogram of |x| (2048 bins): the threshold whose
    /// clipped and quantized distribution (`levels` bins: 255 for non-negative data, 128 on
    /// each side otherwise) has the least KL divergence from the observed one.
    static func entropyThreshold(_ values: [Float], nonNegative: Bool) -> Float? {
        let bins = 2048
        let maxAbs = values.reduce(Float(0)) { Swift.max($0, Swift.abs($1)) }
        guard maxAbs > 0 else { return nil }
        let width = maxAbs / Float(bins)
        var histogram = [Double](repeating: 0, count: bins)
        for value in values {
            let bin = Int(Swift.abs(value) / width)
            histogram[Swift.min(bins - 1, Swift.max(0, bin))] += 1
        }
        let levels = nonNegative ? 255 : 128
        var suffix = [Double](repeating: 0, count: bins + 1)
        for bin in stride(from: bins - 1, through: 0, by: -1) {
            suffix[bin] = suffix[bin + 1] + histogram[bin]
        }
        var best = bins
        var bestDivergence = Double.infinity
        for end in stride(from: levels, through: bins, by: 8) {
            let divergence = klDivergence(
                histogram, end: end, outliers: suffix[end], levels: levels)
            if divergence < bestDivergence {
                bestDivergence = divergence
                best = end
            }
        }
        return Float(best) * width
    }

    /// `counts` normalized to sum 1, with `epsilon` moved onto the empty bins from the others
    /// (MXNet's smoothing for its TensorRT-style calibration), or nil when it cannot be.
    private static func smoothed(_ counts: [Double], epsilon: Double = 1e-4) -> [Double]? {
        let total = counts.reduce(0, +)
        let empty = counts.filter { $0 == 0 }.count
        let filled = counts.count - empty
        guard total > 0, filled > 0 else { return nil }
        let taken = epsilon * Double(empty) / Double(filled)
        let result = counts.map { $0 == 0 ? epsilon : $0 / total - taken }
        return result.allSatisfy({ $0 > 0 }) ? result : nil
    }

    /// KL(P‖Q) for P the first `end` bins with the outliers added to the last, Q those bins
    /// merged into `levels` groups and spread back over each group's non-empty bins.
    private static func klDivergence(
        _ histogram: [Double], end: Int, outliers: Double, levels: Int
    ) -> Double {
        var reference = Array(histogram[0..<end])
        reference[end - 1] += outliers
        var expanded = [Double](repeating: 0, count: end)
        for level in 0..<levels {
            let start = level * end / levels
            let stop = Swift.max(start + 1, (level + 1) * end / levels)
            var total = 0.0
            var nonEmpty = 0
            for bin in start..<Swift.min(stop, end) where histogram[bin] > 0 {
                total += histogram[bin]
                nonEmpty += 1
            }
            guard nonEmpty > 0 else { continue }
            for bin in start..<Swift.min(stop, end) where histogram[bin] > 0 {
                expanded[bin] = total / Double(nonEmpty)
            }
        }
        guard let p = smoothed(reference), let q = smoothed(expanded) else { return .infinity }
        var divergence = 0.0
        for bin in 0..<end where p[bin] > 0 {
            divergence += p[bin] * Foundation.log(p[bin] / q[bin])
        }
        return divergence
    }
}
