import Tensor
import Testing

@testable import Tune

/// Non-dominated sorting against a brute-force definition on random point sets.
@Suite struct ParetoFrontTests {
    @Test func frontsMatchBruteForce() {
        var generator = RandomGenerator(seed: 9)
        for trial in 0..<30 {
            let count = 1 + trial * 2
            let objectives = 2 + trial % 3
            let points = (0..<count).map { _ in
                // Coarse values so that ties and duplicates occur.
                (0..<objectives).map { _ in Double(generator.next() % 6) }
            }
            var remaining = Set(points.indices)
            for front in ParetoFront.fronts(points) {
                let expected = remaining.filter { i in
                    !remaining.contains { j in ParetoFront.dominates(points[j], points[i]) }
                }
                #expect(Set(front) == expected)
                remaining.subtract(front)
            }
            #expect(remaining.isEmpty)
        }
    }

    @Test func dominanceAndCrowding() {
        #expect(ParetoFront.dominates([1, 2], [1, 3]))
        #expect(!ParetoFront.dominates([1, 2], [1, 2]))
        #expect(!ParetoFront.dominates([0, 3], [1, 2]))
        let crowding = ParetoFront.crowdingDistances([[0, 4], [1, 2], [3, 1], [4, 0]])
        #expect(crowding[0] == .infinity && crowding[3] == .infinity)
        #expect(abs(crowding[1] - (3.0 / 4 + 3.0 / 4)) < 1e-12)
        #expect(abs(crowding[2] - (3.0 / 4 + 2.0 / 4)) < 1e-12)
    }

    @Test func aStudysParetoFrontHonoursDirectionsAndConstraints() throws {
        let study = try Study(directions: [.maximize, .minimize], sampler: .random(seed: 1))
        try study.optimize(trials: 40) { trial in
            let x = try trial.uniform("x", 0...1)
            let y = try trial.uniform("y", 0...1)
            trial.constrain(y - 0.9)
            return [x, x * x + y]
        }
        let front = study.paretoFront
        #expect(!front.isEmpty)
        let feasible = study.trials.filter(\.isFeasible)
        for member in front {
            #expect(member.isFeasible)
            #expect(
                !feasible.contains { other in
                    other.values[0] >= member.values[0] && other.values[1] <= member.values[1]
                        && other.values != member.values
                })
        }
    }
}

/// The Cholesky factor and solve behind the GP against a hand-checked 3 × 3 case.
@Suite struct CholeskyTests {
    @Test func factorAndSolve() throws {
        // A = [[4, 2, 2], [2, 5, 3], [2, 3, 6]] = L·Lᵀ with L = [[2, 0, 0], [1, 2, 0], [1, 1, 2]].
        let a: [Double] = [4, 2, 2, 2, 5, 3, 2, 3, 6]
        let l = try #require(Cholesky.factor(a, 3))
        #expect(l == [2, 0, 0, 1, 2, 0, 1, 1, 2])
        // A·[1, 1, 1] = [8, 10, 11].
        let x = Cholesky.solve(l, 3, [8, 10, 11])
        #expect(zip(x, [1.0, 1, 1]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(Cholesky.factor([1, 2, 2, 1], 2) == nil)  // not positive definite
        #expect(Cholesky.factor([1, 2, 3], 2) == nil)
    }
}
