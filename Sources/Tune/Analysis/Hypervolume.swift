/// The hypervolume of a two-objective front (the area it dominates up to a reference point;
/// Zitzler & Thiele, 1998), for comparing multi-objective searches.
public enum Hypervolume {
    /// The area dominated by `points` (losses: smaller is better) and bounded by `reference`.
    public static func twoDimensional(_ points: [[Double]], reference: [Double]) -> Double {
        guard reference.count == 2 else { return 0 }
        let inside = points.filter { $0.count == 2 && $0[0] < reference[0] && $0[1] < reference[1] }
        let front = ParetoFront.nonDominatedIndices(inside).map { inside[$0] }.sorted {
            $0[0] < $1[0]
        }
        var area = 0.0
        var ceiling = reference[1]
        for point in front where point[1] < ceiling {
            area += (reference[0] - point[0]) * (ceiling - point[1])
            ceiling = point[1]
        }
        return area
    }
}
