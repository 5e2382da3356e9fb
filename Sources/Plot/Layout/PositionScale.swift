import Foundation

/// Maps data values to pixel positions along one axis, linearly or logarithmically.
struct PositionScale: Sendable {
    var kind: AxisScale
    /// The values at the two ends; on a log scale both are positive.
    var lower: Double
    var upper: Double
    /// The pixel positions of `lower` and `upper` (upper may be the smaller, for a y axis).
    var start: Double
    var end: Double

    /// The position of `value`, or nil when it cannot be drawn (non-finite, or ≤ 0 on a log
    /// scale). Values outside the domain map outside the range; callers clip.
    func position(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        let fraction: Double
        switch kind {
        case .linear:
            fraction = (value - lower) / (upper - lower)
        case .log:
            guard value > 0 else { return nil }
            fraction = (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        // Keep far-off values finite and bounded so that paths stay writable.
        return start + min(max(fraction, -100), 100) * (end - start)
    }

    /// The pixel length of the axis.
    var length: Double { abs(end - start) }
}
