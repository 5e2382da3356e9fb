import Tensor
import Testing

@testable import Data

/// Ten 1×2×2 byte images whose pixels are 10·i + 0…3, labels i % 3.
func tenImages() throws -> Dataset {
    let pixels = (0..<10).flatMap { i in (0..<4).map { UInt8(10 * i + $0) } }
    return try Dataset(
        images: pixels, elementShape: [1, 2, 2], labels: (0..<10).map { Int32($0 % 3) },
        classNames: ["a", "b", "c"], name: "ten")
}

@Suite struct DatasetTests {
    @Test func factsOfAClassificationSet() throws {
        let data = try tenImages()
        #expect(data.count == 10)
        #expect(data.elementShape == [1, 2, 2])
        #expect(data.isClassification)
        #expect(data.classCount == 3)
        #expect(data.targetWidth == 1)
        #expect(data.classCounts == [4, 3, 3])
        #expect(data.labels == [0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    }

    @Test func constructionChecksCountsAndLabels() {
        #expect(throws: DataError.self) {
            try Dataset(images: [1, 2, 3], elementShape: [1, 2, 2], labels: [0])
        }
        #expect(throws: DataError.self) {
            try Dataset(features: [1, 2], elementShape: [2], labels: [3], classNames: ["a", "b"])
        }
        #expect(throws: DataError.self) {
            try Dataset(features: [1, 2], elementShape: [2], labels: [-1])
        }
        #expect(throws: DataError.self) {
            try Dataset(features: [1, 2], elementShape: [0, 2], labels: [0])
        }
        #expect(throws: DataError.self) {
            try Dataset(
                features: [1, 2, 3], elementShape: [1], targets: [1, 2, 3], targetWidth: 2)
        }
    }

    @Test func classNamesDefaultToNumbers() throws {
        let data = try Dataset(features: [0, 1, 2], elementShape: [1], labels: [0, 2, 1])
        #expect(data.classNames == ["0", "1", "2"])
    }

    @Test func tensorsMakeClassificationAndRegressionSets() throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2])
        let classes = try Dataset(
            features: x, labels: try Tensor([0, 1, 1] as [Int32], shape: [3]))
        #expect(classes.isClassification && classes.classCount == 2)
        let regression = try Dataset(
            features: x, labels: try Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2]))
        #expect(!regression.isClassification)
        #expect(regression.targetWidth == 2)
        #expect(throws: DataError.self) { try Dataset(features: x, labels: try Tensor([1, 2])) }
    }

    @Test func prefixAndSubsetAreViews() throws {
        let data = try tenImages()
        #expect(data.prefix(4).labels == [0, 1, 2, 0])
        #expect(data.prefix(40).count == 10)
        #expect(data.prefix(-1).count == 0)
        let picked = try data.subset([9, 1, 1])
        #expect(picked.labels == [0, 1, 1])
        #expect(try picked.batch([0]).x.scalars == [90, 91, 92, 93].map { $0 / 255 })
        #expect(throws: DataError.self) { try data.subset([10]) }
        #expect(throws: DataError.self) { try data.subset([-1]) }
    }

    @Test func shufflingIsSeededAndKeepsEveryExample() throws {
        let data = try tenImages()
        var first = RandomGenerator(seed: 7)
        var second = RandomGenerator(seed: 7)
        let a = data.shuffled(using: &first)
        let b = data.shuffled(using: &second)
        #expect(a.rows == b.rows)
        #expect(a.rows != data.rows)
        #expect(a.rows.sorted() == data.rows)
    }

    @Test func stratifiedSplitKeepsClassProportions() throws {
        let labels = (0..<100).map { Int32($0 < 80 ? 0 : 1) }
        let data = try Dataset(
            features: (0..<100).map(Float.init), elementShape: [1], labels: labels)
        var rng = RandomGenerator(seed: 3)
        let (train, validation) = try data.split(validationFraction: 0.25, using: &rng)
        #expect(train.count == 75 && validation.count == 25)
        #expect(validation.classCounts == [20, 5])
        #expect(train.classCounts == [60, 15])
        #expect(Set(train.rows).isDisjoint(with: validation.rows))
        #expect(throws: DataError.self) { try data.split(validationFraction: 1, using: &rng) }
        let plain = try data.split(validationFraction: 0.1, stratified: false, using: &rng)
        #expect(plain.validation.count == 10)
    }

    @Test func filteringKeepsOrRenumbersClasses() throws {
        let data = try tenImages()
        let kept = try data.filtered(classes: [2, 0])
        #expect(kept.labels == [0, 2, 0, 2, 0, 2, 0])
        #expect(kept.classCount == 3)
        let relabelled = try data.filtered(classes: [2, 0], relabel: true)
        #expect(relabelled.labels == [1, 0, 1, 0, 1, 0, 1])
        #expect(relabelled.classNames == ["c", "a"])
        #expect(try relabelled.batch([1]).x.scalars == [20, 21, 22, 23].map { $0 / 255 })
        let again = try relabelled.filtered(classes: [1], relabel: true)
        #expect(again.labels == [0, 0, 0, 0])
        #expect(throws: DataError.self) { try data.filtered(classes: [3]) }
        #expect(throws: DataError.self) { try data.filtered(classes: [1, 1]) }
    }

    @Test func normalizationStatisticsPerChannel() throws {
        // Two examples of two channels with two values each: channel 0 holds 1, 3, 5, 7;
        // channel 1 holds 2, 2, 2, 2.
        let data = try Dataset(
            features: [1, 3, 2, 2, 5, 7, 2, 2], elementShape: [2, 2], labels: [0, 1])
        let stats = try data.normalizationStatistics()
        #expect(stats.mean == [4, 2])
        #expect(abs(stats.standardDeviation[0] - Float(5).squareRoot()) < 1e-6)
        #expect(stats.standardDeviation[1] == 1)  // constant channel: only centred
        let batch = try data.normalized(stats).batch([0, 1])
        let expected: [Float] = [1, 3, 0, 0, 5, 7, 0, 0].enumerated().map { index, value in
            index % 4 < 2 ? (value - 4) / Float(5).squareRoot() : 0
        }
        for (got, want) in zip(batch.x.scalars, expected) { #expect(abs(got - want) < 1e-6) }
        #expect(throws: DataError.self) {
            try data.normalized(try Normalization(mean: [0], standardDeviation: [1]))
        }
        #expect(throws: DataError.self) { try Normalization(mean: [0], standardDeviation: [0]) }
    }

    @Test func byteBatchesMatchTheFormulaForEveryByteAndChannel() throws {
        // 256 examples of two channels of two values: example i holds bytes i, 255 − i (channel
        // 0) and i, i (channel 1); rows are gathered in a scrambled order.
        var images: [UInt8] = []
        for i in 0...255 {
            let byte = UInt8(i)
            images += [byte, 255 - byte, byte, byte]
        }
        let data = try Dataset(
            images: images, elementShape: [2, 1, 2], labels: [Int32](repeating: 0, count: 256))
        let stats = try Normalization(mean: [0.25, 0.5], standardDeviation: [0.3, 0.7])
        let rows = (0..<256).map { ($0 * 97 + 13) % 256 }
        let plain = try data.batch(rows).x.scalars
        let normalized = try data.normalized(stats).batch(rows).x.scalars
        for (position, row) in rows.enumerated() {
            let bytes = images[(row * 4)..<(row * 4 + 4)].map { Float($0) }
            for (index, byte) in bytes.enumerated() {
                let channel = index / 2
                #expect(plain[position * 4 + index] == byte / 255)
                let mean: Float = stats.mean[channel]
                let deviation: Float = stats.standardDeviation[channel]
                let expected: Float = (byte / 255 - mean) / deviation
                #expect(normalized[position * 4 + index] == expected)
            }
        }
    }

    @Test func aLargeByteBatchSplitAcrossThreadsEqualsItsRowsOneByOne() throws {
        // 100 rows of 784 bytes is above Parallelism.minimumParallelElements, so with two or
        // more threads (the default on a multi-core machine) the batch is gathered in parts;
        // one row at a time is below it and runs on the calling thread.
        var images: [UInt8] = []
        for i in 0..<(100 * 784) { images.append(UInt8(truncatingIfNeeded: i &* 31 &+ i / 784)) }
        let data = try Dataset(
            images: images, elementShape: [1, 28, 28], labels: [Int32](repeating: 0, count: 100)
        ).normalized(try Normalization(mean: [0.3], standardDeviation: [0.4]))
        let rows = (0..<100).map { ($0 * 37 + 11) % 100 }
        let whole = try data.batch(rows).x
        #expect(whole.shape == [100, 1, 28, 28])
        var oneByOne: [Float] = []
        for row in rows { oneByOne += try data.batch([row]).x.scalars }
        #expect(whole.scalars == oneByOne)
    }

    @Test func byteStatisticsUseTheScale() throws {
        let stats = try tenImages().normalizationStatistics()
        let values = (0..<10).flatMap { i in (0..<4).map { Double(10 * i + $0) / 255 } }
        let mean = values.reduce(0, +) / 40
        let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 40).squareRoot()
        #expect(abs(Double(stats.mean[0]) - mean) < 1e-6)
        #expect(abs(Double(stats.standardDeviation[0]) - deviation) < 1e-6)
    }

    @Test func descriptionShowsSizeShapeAndBalance() throws {
        let text = try tenImages().description
        #expect(text.contains("ten: 10 examples of shape [1, 2, 2]"))
        #expect(text.contains("a: 4 (40.0%)"))
        #expect(text.contains("c: 3 (30.0%)"))
        let balanced = try tenImages().prefix(9).description
        #expect(balanced.contains("3 classes, balanced (3 each): a, b, c"))
        let regression = try Dataset(features: [1, 2], elementShape: [1], targets: [3, 4])
        #expect(regression.description.contains("regression to 1 value"))
        #expect(grouped(60_000) == "60,000")
        #expect(grouped(999) == "999")
        #expect(grouped(1_234_567) == "1,234,567")
    }
}
