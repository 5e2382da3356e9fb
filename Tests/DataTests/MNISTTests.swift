import Foundation
import Testing

@testable import Data

@Suite struct MNISTTests {
    @Test func bundledSubsetHasFourHundredAndOneHundredPerDigit() throws {
        let digits = try MNIST()
        #expect(digits.train.count == 4_000)
        #expect(digits.test.count == 1_000)
        #expect(digits.train.elementShape == [1, 28, 28])
        #expect(digits.train.classNames == ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
        #expect(digits.train.classCounts == [Int](repeating: 400, count: 10))
        #expect(digits.test.classCounts == [Int](repeating: 100, count: 10))
        #expect(FileManager.default.fileExists(atPath: digits.directory + "/README.md"))
    }

    @Test func bundledImagesArePixelsInTheUnitInterval() throws {
        let batch = try MNIST().train.batch(Array(0..<8))
        #expect(batch.x.shape == [8, 1, 28, 28])
        #expect(batch.y.shape == [8])
        let values = batch.x.scalars
        #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(values.contains(1))  // a digit has saturated strokes
        // A digit covers roughly a fifth of its box.
        let inked = Double(values.filter { $0 > 0.5 }.count) / Double(values.count)
        #expect(inked > 0.05 && inked < 0.4)
    }

    @Test func fashionMNISTIsTheFullSetWithItsClassNames() throws {
        let data = try FashionMNIST()
        #expect(data.train.count == 60_000)
        #expect(data.test.count == 10_000)
        #expect(data.train.classNames.first == "T-shirt/top")
        #expect(data.train.classNames.last == "Ankle boot")
        #expect(data.train.classCounts == [Int](repeating: 6_000, count: 10))
        #expect(data.test.classCounts == [Int](repeating: 1_000, count: 10))
        // The first image of each part is an ankle boot (Xiao et al.'s files).
        #expect(data.train.labels.first == 9)
        #expect(data.test.labels.first == 9)
    }

    @Test func missingDirectoryNamesTheFileItLookedFor() throws {
        let error = try #require(dataError { _ = try MNIST(directory: "/nonexistent/mnist") })
        guard case .unreadableFile(let path, _) = error else {
            Issue.record("expected unreadableFile, got \(error)")
            return
        }
        #expect(path.hasPrefix("/nonexistent/mnist/train-images-idx3-ubyte"))
    }

    @Test func mismatchedCountsAndLabelsAreCorrupt() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let image = [UInt8](repeating: 1, count: 4)
        try fixtures.write(
            idxBytes(type: 8, shape: [3, 2, 2], payload: image + image + image),
            to: "train-images-idx3-ubyte")
        try fixtures.write(
            idxBytes(type: 8, shape: [2], payload: [0, 1]), to: "train-labels-idx1-ubyte")
        let countError = try #require(
            dataError { _ = try MNIST(directory: fixtures.directory.path) })
        #expect(countError.description.contains("2 labels for 3 images"), "\(countError)")
        try fixtures.write(
            idxBytes(type: 8, shape: [3], payload: [0, 1, 12]), to: "train-labels-idx1-ubyte")
        let labelError = try #require(
            dataError { _ = try MNIST(directory: fixtures.directory.path) })
        #expect(labelError.description.contains("label 12"), "\(labelError)")
    }
}
