extension Double {
    /// The value rounded toward zero as an `Int`, with NaN as 0 and values beyond ±2⁵³ clamped:
    /// a conversion that cannot trap, for positions and counts computed from user data.
    var saturatingInt: Int {
        guard !isNaN else { return 0 }
        let limit = 9_007_199_254_740_992.0
        return Int(Swift.min(Swift.max(self, -limit), limit))
    }

    /// The value clamped to `bounds`, with NaN as the lower bound.
    func clamped(to bounds: ClosedRange<Double>) -> Double {
        guard !isNaN else { return bounds.lowerBound }
        return Swift.min(Swift.max(self, bounds.lowerBound), bounds.upperBound)
    }
}
