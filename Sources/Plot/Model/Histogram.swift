import Foundation

/// Counts of values in adjacent bins: `counts[i]` values fell in `edges[i] ..< edges[i + 1]`
/// (the last bin includes its upper edge).
///
/// ```swift
/// let weights = try Histogram(values: layerWeights, binning: .freedmanDiaconis, name: "dense 1")
/// let chart = Chart.histogram([weights], title: "Weights")
/// ```
public struct Histogram: Sendable, Hashable {
    /// The name shown in the legend; nil or empty for none.
    public var name: String?
    /// Bin edges, increasing; one more than `counts`.
    public var edges: [Double]
    /// The number (or weight) of values in each bin.
    public var counts: [Double]
    /// Bar colour; nil takes the next palette colour.
    public var color: Color?

    /// The most bins a rule may produce; more would draw bars thinner than a pixel.
    public static let maximumBinCount = 10_000

    /// Creates a histogram from precomputed bins.
    ///
    /// - Throws: `PlotError.invalidHistogramEdges` unless there is one more edge than counts
    ///   and the edges are finite and increasing.
    public init(edges: [Double], counts: [Double], name: String? = nil, color: Color? = nil) throws
    {
        guard edges.count == counts.count + 1, !counts.isEmpty else {
            throw PlotError.invalidHistogramEdges(
                "\(edges.count) edges for \(counts.count) counts; need one more edge than counts")
        }
        guard edges.allSatisfy(\.isFinite), zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 })
        else {
            throw PlotError.invalidHistogramEdges("edges must be finite and strictly increasing")
        }
        self.edges = edges
        self.counts = counts
        self.name = name
        self.color = color
    }

    /// Bins `values` by a rule; non-finite values are left out.
    ///
    /// - Parameters:
    ///   - values: the samples.
    ///   - binning: how many bins, or how wide (default `.automatic`).
    ///   - name: legend entry.
    ///   - color: bar colour, or nil for the palette.
    /// - Throws: `PlotError.invalidBinning` for a non-positive count or width, or a rule that
    ///   would need more than `maximumBinCount` bins.
    public init(
        values: [Double], binning: HistogramBinning = .automatic, name: String? = nil,
        color: Color? = nil
    ) throws {
        // Clamped so that the range, and everything computed from it, stays finite.
        let finite = values.filter(\.isFinite).map { $0.clamped(to: -1e300...1e300) }.sorted()
        var lower = finite.first ?? 0
        var upper = finite.last ?? 1
        if upper <= lower {
            lower -= 0.5
            upper += 0.5
        }
        let binCount = try binning.binCount(sortedValues: finite, lower: lower, upper: upper)
        var width = (upper - lower) / Double(binCount)
        if case .width(let fixed) = binning {
            width = fixed
            upper = lower + fixed * Double(binCount)
        }
        var counts = [Double](repeating: 0, count: binCount)
        for value in finite {
            let position = (value - lower) / width
            let index = min(max(position.saturatingInt, 0), binCount - 1)
            counts[index] += 1
        }
        let edges = (0...binCount).map { $0 == binCount ? upper : lower + Double($0) * width }
        try self.init(edges: edges, counts: counts, name: name, color: color)
    }

    /// Bins any floating-point values (`Float` weights, for example).
    public init<F: BinaryFloatingPoint>(
        values: [F], binning: HistogramBinning = .automatic, name: String? = nil
    ) throws {
        try self.init(values: values.map { Double($0) }, binning: binning, name: name)
    }
}

/// How a histogram chooses its bins.
public enum HistogramBinning: Sendable, Hashable {
    /// The larger bin count of Sturges and Freedman–Diaconis, as NumPy's "auto": Sturges for
    /// small samples, Freedman–Diaconis for large ones.
    case automatic
    /// ⌈log₂ n⌉ + 1 bins (Sturges, "The choice of a class interval", JASA 21, 1926).
    case sturges
    /// Bin width 2·IQR·n^(−1/3) (Freedman and Diaconis, "On the histogram as a density
    /// estimator: L2 theory", Z. Wahrscheinlichkeitstheorie 57, 1981); robust to outliers.
    case freedmanDiaconis
    /// Exactly this many bins of equal width.
    case count(Int)
    /// Bins of this width.
    case width(Double)

    /// The number of bins for sorted finite `values` spanning `lower…upper` (upper > lower).
    func binCount(sortedValues values: [Double], lower: Double, upper: Double) throws -> Int {
        let span = upper - lower
        let limit = Histogram.maximumBinCount
        switch self {
        case .count(let count):
            guard count > 0, count <= limit else {
                throw PlotError.invalidBinning("bin count must be 1…\(limit), got \(count)")
            }
            return count
        case .width(let width):
            guard width > 0, width.isFinite else {
                throw PlotError.invalidBinning("bin width must be positive, got \(width)")
            }
            let count = (span / width).rounded(.up)
            guard count <= Double(limit) else {
                throw PlotError.invalidBinning(
                    "width \(width) over a range of \(span) needs more than \(limit) bins")
            }
            return max(Int(count), 1)
        case .sturges:
            return Self.sturges(values.count)
        case .freedmanDiaconis:
            return Self.freedmanDiaconis(values, span: span) ?? Self.sturges(values.count)
        case .automatic:
            let sturges = Self.sturges(values.count)
            return max(sturges, Self.freedmanDiaconis(values, span: span) ?? sturges)
        }
    }

    private static func sturges(_ count: Int) -> Int {
        guard count > 1 else { return 1 }
        return Int(log2(Double(count)).rounded(.up)) + 1
    }

    /// Nil when the interquartile range is zero (more than half the values are equal).
    private static func freedmanDiaconis(_ values: [Double], span: Double) -> Int? {
        guard values.count > 1 else { return nil }
        let iqr = quantile(values, 0.75) - quantile(values, 0.25)
        guard iqr > 0 else { return nil }
        let width = 2 * iqr / cbrt(Double(values.count))
        return (span / width).rounded(.up).clamped(to: 1...1_000).saturatingInt
    }

    /// The `q` quantile of sorted values, interpolating linearly between order statistics.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard let first = sorted.first else { return 0 }
        let position = q * Double(sorted.count - 1)
        let below = Int(position)
        guard below + 1 < sorted.count else { return sorted.last ?? first }
        let fraction = position - Double(below)
        return sorted[below] + (sorted[below + 1] - sorted[below]) * fraction
    }
}
