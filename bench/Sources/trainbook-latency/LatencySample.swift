/// The per-call times of one batch size, and the statistics the harness reports.
struct LatencySample {
    /// Seconds of each timed call, in the order they were made.
    var seconds: [Double]

    /// The `fraction` quantile (0…1) of the call times in milliseconds, nearest rank; 0 when
    /// nothing was timed.
    func quantileMilliseconds(_ fraction: Double) -> Double {
        let sorted = seconds.sorted()
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count - 1)).rounded())
        return sorted[min(max(rank, 0), sorted.count - 1)] * 1000
    }

    /// The fastest call in milliseconds.
    var minimumMilliseconds: Double { (seconds.min() ?? 0) * 1000 }
}
