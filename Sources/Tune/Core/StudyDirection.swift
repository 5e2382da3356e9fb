/// Whether an objective is to be made small or large.
public enum StudyDirection: String, Sendable, Hashable, CaseIterable {
    /// Smaller is better (a loss, an error rate, a size).
    case minimize
    /// Larger is better (an accuracy, a reward).
    case maximize

    /// Whether `a` is strictly better than `b`.
    public func isBetter(_ a: Double, than b: Double) -> Bool {
        self == .minimize ? a < b : a > b
    }

    /// The value turned into a loss (smaller is better), as samplers and pruners compare.
    public func loss(_ value: Double) -> Double { self == .minimize ? value : -value }
}
