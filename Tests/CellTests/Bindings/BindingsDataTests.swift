import Testing

@testable import Cell

/// Data sets in cells: the bundled MNIST subset, views, batches, tensors as data sets.
@Suite struct BindingsDataTests {
    @Test func mnistSubsetHasItsSplitsAndClasses() {
        let harness = CellHarness()
        harness.run("let data = MNIST()")
        #expect(harness.run("(data.train.count, data.test.count)").result == "(4000, 1000)")
        #expect(harness.run("data.train.elementShape").result == "[1, 28, 28]")
        #expect(harness.run("data.classNames.count").result == "10")
    }

    @Test func batchesYieldTuplesOfTensors() {
        let harness = CellHarness()
        harness.run(
            """
            let small = MNIST().train.prefix(300)
            var shapes: [[Int]] = []
            for (x, y) in small.batches(of: 128, shuffled: true) { shapes.append(x.shape + y.shape) }
            """)
        #expect(
            harness.run("shapes").result
                == "[[128, 1, 28, 28, 128], [128, 1, 28, 28, 128], [44, 1, 28, 28, 44]]")
        #expect(harness.run("small.batches(of: 100).count").result == "3")
        #expect(harness.run("small[0].x.shape").result == "[1, 28, 28]")
    }

    @Test func splitsAndFiltersAreViews() {
        let harness = CellHarness()
        harness.run("let train = MNIST().train\nlet (a, b) = train.split(validationFraction: 0.25)")
        #expect(harness.run("(a.count, b.count)").result == "(3000, 1000)")
        #expect(
            harness.run("train.filtered(classes: [3, 5], relabel: true).classNames").result
                == "[\"3\", \"5\"]")
    }

    @Test func tensorsBecomeDataSets() {
        let harness = CellHarness()
        harness.run(
            """
            let set = Dataset(features: Tensor([[0, 0], [1, 1], [2, 2]]),
                              labels: Tensor([0, 1, 1], dtype: .int32))
            """)
        #expect(
            harness.run("(set.count, set.classCount, set.isClassification)").result
                == "(3, 2, true)")
        #expect(
            harness.run(
                "Dataset(features: Tensor([[1], [2]]), labels: Tensor([0.5, 1.5])).isClassification"
            )
            .result == "false")
    }

    @Test func aMissingDirectoryIsAFileError() throws {
        let error = try #require(CellHarness().run("MNIST(directory: \"/nonexistent\")").error)
        #expect(error.name == "FileError")
        #expect(error.value.contains("/nonexistent"))
    }
}
