import Tensor
import Testing

@testable import Data

@Suite struct AugmentationTests {
    /// One 1×5×5 image with a single lit pixel at (row 2, column 1).
    func dot() throws -> Tensor {
        var pixels = [Float](repeating: 0, count: 25)
        pixels[2 * 5 + 1] = 1
        return try Tensor(pixels, shape: [1, 1, 5, 5])
    }

    @Test func shiftMovesContentByAtMostThePixelsAndFillsWithZero() throws {
        var rng = RandomGenerator(seed: 4)
        var moves = Set<[Int]>()
        for _ in 0..<50 {
            let shifted = try Augmentation.apply([.randomShift(pixels: 1)], to: dot(), using: &rng)
            let values = shifted.scalars
            #expect(values.reduce(0, +) == 1)
            let lit = try #require(values.firstIndex(of: 1))
            let (row, column) = (lit / 5, lit % 5)
            #expect(abs(row - 2) <= 1 && abs(column - 1) <= 1)
            moves.insert([row - 2, column - 1])
        }
        #expect(moves.count == 9)  // every shift in -1...1 × -1...1 occurs
    }

    @Test func shiftPastTheEdgeLeavesOnlyFill() throws {
        var rng = RandomGenerator(seed: 0)
        let blank = try Augmentation.apply(
            [.randomShift(pixels: 0)], to: dot(), using: &rng)
        #expect(blank.scalars == (try dot()).scalars)
    }

    @Test func flipWithProbabilityOneMirrorsRows() throws {
        var rng = RandomGenerator(seed: 0)
        let image = try Tensor((0..<6).map(Float.init), shape: [1, 1, 2, 3])
        let flipped = try Augmentation.apply(
            [.horizontalFlip(probability: 1)], to: image, using: &rng)
        #expect(flipped.scalars == [2, 1, 0, 5, 4, 3])
        let kept = try Augmentation.apply([.horizontalFlip(probability: 0)], to: image, using: &rng)
        #expect(kept.scalars == image.scalars)
    }

    @Test func noiseHasTheRequestedDeviation() throws {
        var rng = RandomGenerator(seed: 2)
        let zeros = try Tensor.zeros([100, 100])
        let noisy = try Augmentation.apply([.gaussianNoise(0.5)], to: zeros, using: &rng).scalars
        let mean = noisy.reduce(0, +) / Float(noisy.count)
        let deviation = (noisy.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(noisy.count))
            .squareRoot()
        #expect(abs(mean) < 0.02)
        #expect(abs(deviation - 0.5) < 0.02)
    }

    @Test func shiftedBorderIsBlackAfterNormalization() throws {
        // Pixels all 255: after normalisation with mean 0.5 and std 0.25 they are 2, and a
        // black border is (0 - 0.5) / 0.25 = -2.
        let data = try Dataset(
            images: [UInt8](repeating: 255, count: 16 * 8), elementShape: [1, 4, 4],
            labels: [Int32](repeating: 0, count: 8))
        let stats = try Normalization(mean: [0.5], standardDeviation: [0.25])
        var rng = RandomGenerator(seed: 11)
        let batch = try data.normalized(stats).batches(
            of: 8, augmentations: [.randomShift(pixels: 2)], using: &rng
        ).batch(at: 0)
        let values = batch.x.scalars
        #expect(values.allSatisfy { $0 == 2 || $0 == -2 })
        #expect(values.contains(-2))
    }
}
