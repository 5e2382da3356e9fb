/// Pareto dominance and non-dominated sorting over losses (smaller is better in every
/// objective).
public enum ParetoFront {
    /// Whether `a` dominates `b`: no worse in every objective and better in at least one.
    public static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var better = false
        for (x, y) in zip(a, b) {
            if x > y { return false }
            if x < y { better = true }
        }
        return better
    }

    /// The indices of the points no other point dominates, in increasing order.
    public static func nonDominatedIndices(_ points: [[Double]]) -> [Int] {
        fronts(points).first ?? []
    }

    /// Fast non-dominated sorting (Deb et al., 2002, "A Fast and Elitist Multiobjective Genetic
    /// Algorithm: NSGA-II"): the indices of the first front, then of the points dominated only
    /// by the first, and so on. O(m·n²) for n points and m objectives.
    public static func fronts(_ points: [[Double]]) -> [[Int]] {
        let n = points.count
        var dominatedBy = [Int](repeating: 0, count: n)
        var dominates = [[Int]](repeating: [], count: n)
        for i in 0..<n {
            for j in (i + 1)..<max(n, i + 1) {
                if Self.dominates(points[i], points[j]) {
                    dominates[i].append(j)
                    dominatedBy[j] += 1
                } else if Self.dominates(points[j], points[i]) {
                    dominates[j].append(i)
                    dominatedBy[i] += 1
                }
            }
        }
        var fronts: [[Int]] = []
        var current = (0..<n).filter { dominatedBy[$0] == 0 }
        while !current.isEmpty {
            fronts.append(current)
            var next: [Int] = []
            for i in current {
                for j in dominates[i] {
                    dominatedBy[j] -= 1
                    if dominatedBy[j] == 0 { next.append(j) }
                }
            }
            current = next.sorted()
        }
        return fronts
    }

    /// The crowding distance of each point of one front (Deb et al., 2002): the summed
    /// normalized side lengths of the box its neighbours span; boundary points get infinity.
    public static func crowdingDistances(_ points: [[Double]]) -> [Double] {
        let n = points.count
        guard n > 2, let objectives = points.map(\.count).min() else {
            return [Double](repeating: .infinity, count: n)
        }
        var distance = [Double](repeating: 0, count: n)
        for m in 0..<objectives {
            let order = (0..<n).sorted { points[$0][m] < points[$1][m] }
            guard let first = order.first, let last = order.last else { continue }
            let span = points[last][m] - points[first][m]
            distance[first] = .infinity
            distance[last] = .infinity
            guard span > 0 else { continue }
            for k in 1..<(n - 1) {
                distance[order[k]] += (points[order[k + 1]][m] - points[order[k - 1]][m]) / span
            }
        }
        return distance
    }

    /// The indices of all points ordered best first: by front, then by crowding distance
    /// (largest first) within a front, then by index.
    public static func rankedIndices(_ points: [[Double]]) -> [Int] {
        var order: [Int] = []
        for front in fronts(points) {
            let crowding = crowdingDistances(front.map { points[$0] })
            let sorted = zip(front, crowding).sorted {
                $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0
            }
            order.append(contentsOf: sorted.map(\.0))
        }
        return order
    }
}
