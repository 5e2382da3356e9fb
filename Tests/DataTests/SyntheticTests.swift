import Tensor
import Testing

@testable import Data

@Suite struct SyntheticTests {
    @Test func spiralsHaveBalancedArmsInTheUnitDisc() throws {
        var rng = RandomGenerator(seed: 1)
        let spirals = try Synthetic.spirals(classes: 3, pointsPerClass: 50, noise: 0.1, using: &rng)
        #expect(spirals.count == 150)
        #expect(spirals.elementShape == [2])
        #expect(spirals.classCounts == [50, 50, 50])
        let points = try spirals.batch(Array(0..<150)).x.scalars
        for index in stride(from: 0, to: points.count, by: 2) {
            #expect(points[index] * points[index] + points[index + 1] * points[index + 1] <= 1.0001)
        }
    }

    @Test func sameSeedSameSet() throws {
        var first = RandomGenerator(seed: 9)
        var second = RandomGenerator(seed: 9)
        let a = try Synthetic.moons(count: 40, using: &first)
        let b = try Synthetic.moons(count: 40, using: &second)
        #expect(try a.batch(Array(0..<40)).x.scalars == (try b.batch(Array(0..<40)).x.scalars))
    }

    @Test func blobsClusterAroundTheirCentres() throws {
        var rng = RandomGenerator(seed: 3)
        let blobs = try Synthetic.blobs(
            centers: 2, pointsPerCenter: 200, dimensions: 3, standardDeviation: 0.5, using: &rng)
        #expect(blobs.count == 400)
        #expect(blobs.elementShape == [3])
        let x = try blobs.batch(Array(0..<400))
        let points = x.x.scalars
        let labels = try x.y.scalars(as: Int32.self)
        for label in [Int32(0), 1] {
            let members = labels.indices.filter { labels[$0] == label }
            let mean = (0..<3).map { axis in
                members.map { points[$0 * 3 + axis] }.reduce(0, +) / Float(members.count)
            }
            let spread =
                members.map { member in
                    (0..<3).map { points[member * 3 + $0] - mean[$0] }.map { $0 * $0 }.reduce(0, +)
                }.reduce(0, +) / Float(members.count * 3)
            #expect(abs(spread.squareRoot() - 0.5) < 0.1)
            #expect(mean.allSatisfy { abs($0) <= 10.5 })
        }
    }

    @Test func lineFollowsItsSlope() throws {
        var rng = RandomGenerator(seed: 5)
        let line = try Synthetic.line(count: 500, slope: 3, intercept: -1, noise: 0.01, using: &rng)
        #expect(!line.isClassification)
        let batch = try line.batch(Array(0..<500))
        for (x, y) in zip(batch.x.scalars, batch.y.scalars) {
            #expect(abs(y - (3 * x - 1)) < 0.1)
        }
    }

    @Test func xorLabelsTheQuadrants() throws {
        var rng = RandomGenerator(seed: 2)
        let xor = try Synthetic.xor(count: 300, noise: 0, using: &rng)
        let batch = try xor.batch(Array(0..<300))
        let points = batch.x.scalars
        for (index, label) in try batch.y.scalars(as: Int32.self).enumerated() {
            #expect(label == ((points[2 * index] > 0) != (points[2 * index + 1] > 0) ? 1 : 0))
        }
        #expect(xor.classCounts.allSatisfy { $0 > 100 })
    }

    @Test func badSizesAreErrors() {
        var rng = RandomGenerator(seed: 0)
        #expect(throws: DataError.self) { try Synthetic.spirals(classes: 0, using: &rng) }
        #expect(throws: DataError.self) { try Synthetic.moons(count: 1, using: &rng) }
        #expect(throws: DataError.self) { try Synthetic.line(noise: -1, using: &rng) }
        #expect(throws: DataError.self) {
            try Synthetic.blobs(centers: Int.max, pointsPerCenter: Int.max, using: &rng)
        }
    }
}
