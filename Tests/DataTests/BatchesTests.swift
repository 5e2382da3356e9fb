import Tensor
import Testing

@testable import Data

@Suite struct BatchesTests {
    @Test func batchesCoverTheSetInOrder() throws {
        let data = try tenImages()
        var rng = RandomGenerator(seed: 1)
        let batches = try data.batches(of: 4, using: &rng)
        #expect(batches.count == 3)
        var iterator = batches.makeIterator()
        var labels: [Int32] = []
        var sizes: [Int] = []
        var firstPixels: [Float] = []
        while let batch = try iterator.next() {
            #expect(batch.x.shape == [batch.count, 1, 2, 2])
            #expect(batch.y.dtype == .int32)
            sizes.append(batch.count)
            labels += try batch.y.scalars(as: Int32.self)
            firstPixels += stride(from: 0, to: batch.x.elementCount, by: 4).map {
                batch.x.scalars[$0]
            }
        }
        #expect(sizes == [4, 4, 2])
        #expect(labels == data.labels)
        #expect(firstPixels == (0..<10).map { Float(10 * $0) / 255 })
    }

    @Test func dropLastLeavesOutTheShortBatch() throws {
        var rng = RandomGenerator(seed: 1)
        let batches = try tenImages().batches(of: 4, dropLast: true, using: &rng)
        #expect(batches.count == 2)
        #expect(try batches.batch(at: 1).count == 4)
        #expect(throws: DataError.self) { try batches.batch(at: 2) }
    }

    @Test func shuffledEpochVisitsEveryExampleOnceAndIsSeeded() throws {
        let data = try tenImages()
        func epoch(seed: UInt64) throws -> [Float] {
            var rng = RandomGenerator(seed: seed)
            var iterator = try data.batches(of: 3, shuffled: true, using: &rng).makeIterator()
            var firsts: [Float] = []
            while let batch = try iterator.next() {
                firsts += stride(from: 0, to: batch.x.elementCount, by: 4).map {
                    batch.x.scalars[$0] * 255
                }
            }
            return firsts
        }
        let first = try epoch(seed: 5)
        #expect(first == (try epoch(seed: 5)))
        #expect(first != (try epoch(seed: 6)))
        #expect(first.sorted() == (0..<10).map { Float(10 * $0) })
    }

    @Test func positionsNameTheExamplesOfEachBatchInTheirSet() throws {
        // A view whose positions differ from its storage rows.
        let chosen = [9, 7, 5, 3, 1]
        let data = try tenImages().subset(chosen)
        var rng = RandomGenerator(seed: 5)
        let batches = try data.batches(of: 2, shuffled: true, using: &rng)
        var expectedOrder = RandomGenerator(seed: 5)
        var all: [Int] = []
        for index in 0..<batches.count {
            let positions = Array(try batches.positions(ofBatch: index))
            let pixels = try batches.batch(at: index).x.scalars
            let firsts = stride(from: 0, to: pixels.count, by: 4).map { pixels[$0] * 255 }
            #expect(firsts == positions.map { Float(10 * chosen[$0]) })
            all += positions
        }
        #expect(all == (0..<chosen.count).shuffled(using: &expectedOrder))
        #expect(throws: DataError.self) { try batches.positions(ofBatch: batches.count) }
        #expect(throws: DataError.self) { try batches.positions(ofBatch: -1) }
    }

    @Test func iteratorAndRandomAccessAgree() throws {
        var rng = RandomGenerator(seed: 9)
        let batches = try tenImages().batches(
            of: 3, shuffled: true, augmentations: [.gaussianNoise(0.1)], using: &rng)
        var iterator = batches.makeIterator()
        var index = 0
        while let batch = try iterator.next() {
            #expect(batch.x.scalars == (try batches.batch(at: index).x.scalars))
            index += 1
        }
        #expect(index == batches.count)
    }

    @Test func prefetchingYieldsTheSameBatches() throws {
        var rng = RandomGenerator(seed: 3)
        let batches = try tenImages().batches(
            of: 3, shuffled: true, augmentations: [.randomShift(pixels: 1)], using: &rng)
        var plain = batches.makeIterator()
        var prefetched = batches.makeIterator(prefetching: true)
        var count = 0
        while let batch = try plain.next() {
            let other = try #require(try prefetched.next())
            #expect(batch.x.scalars == other.x.scalars)
            #expect(try batch.y.scalars(as: Int32.self) == other.y.scalars(as: Int32.self))
            count += 1
        }
        #expect(try prefetched.next() == nil)
        #expect(count == 4)
        var abandoned = batches.makeIterator(prefetching: true)
        _ = try abandoned.next()  // dropped with a batch in flight
    }

    @Test func regressionTargetsAreFloatRows() throws {
        let data = try Dataset(
            features: [0, 1, 2, 3], elementShape: [1], targets: [0, 10, 1, 11, 2, 12, 3, 13],
            targetWidth: 2)
        let batch = try data.batch([2, 0])
        #expect(batch.x.shape == [2, 1])
        #expect(batch.y.shape == [2, 2])
        #expect(batch.y.scalars == [2, 12, 0, 10])
    }

    @Test func aBatchLargerThanTheSetHoldsEverything() throws {
        var rng = RandomGenerator(seed: 1)
        let batches = try tenImages().batches(of: Int.max, using: &rng)
        #expect(batches.count == 1)
        #expect(try batches.batch(at: 0).count == 10)
        #expect(try tenImages().prefix(0).batches(of: 4, using: &rng).count == 0)
        let empty = try tenImages().batch([])
        #expect(empty.x.shape == [0, 1, 2, 2])
        #expect(empty.y.shape == [0] && empty.y.dtype == .int32)
    }

    @Test func badArgumentsAreErrors() throws {
        let data = try tenImages()
        var rng = RandomGenerator(seed: 1)
        #expect(throws: DataError.self) { try data.batches(of: 0, using: &rng) }
        let table = try Dataset(features: [1, 2], elementShape: [2], labels: [0])
        #expect(throws: DataError.self) {
            try table.batches(of: 1, augmentations: [.randomShift(pixels: 1)], using: &rng)
        }
        #expect(throws: DataError.self) {
            try data.batches(of: 1, augmentations: [.horizontalFlip(probability: 2)], using: &rng)
        }
    }
}
