import Testing

@testable import NN
@testable import Tensor

@Suite struct ModelSummaryTests {
    @Test func summaryOfTheTutorialMLP() throws {
        let model = try Sequential {
            Flatten()
            try Dense(784, 128, activation: .relu, seed: 1)
            try Dense(128, 10, seed: 2)
        }
        let summary = try model.summary(inputShape: [1, 1, 28, 28])
        #expect(summary.rows.map(\.name) == ["0", "1", "2"])
        #expect(summary.rows.map(\.typeName) == ["Flatten", "Dense", "Dense"])
        #expect(summary.rows.map(\.outputShape) == [[1, 784], [1, 128], [1, 10]])
        #expect(summary.rows.map(\.parameterCount) == [0, 100_480, 1290])
        #expect(summary.rows[1].configuration == "784 → 128, relu")
        #expect(summary.parameterCount == 101_770)
        #expect(summary.outputShape == [1, 10])
        #expect(summary.description.contains("Dense(784 → 128, relu)"))
        #expect(summary.description.contains("Parameters: 101770 (trainable 101770, frozen 0)"))
    }

    @Test func summaryOfTheTutorialCNNWithAFrozenBody() throws {
        let body = try Sequential {
            try Conv2D(1, 32, kernelSize: 3, activation: .relu, seed: 1)
            MaxPool2D(2)
            try Conv2D(32, 64, kernelSize: 3, activation: .relu, seed: 2)
            MaxPool2D(2)
        }
        let model = try Sequential {
            body
            Flatten()
            try Dense(64 * 5 * 5, 128, activation: .relu, seed: 3)
            try Dense(128, 10, seed: 4)
        }
        body.freeze()
        let summary = try model.summary(inputShape: [2, 1, 28, 28])
        let byName = Dictionary(uniqueKeysWithValues: summary.rows.map { ($0.name, $0) })
        #expect(byName["0"]?.outputShape == [2, 64, 5, 5])
        #expect(byName["0.0"]?.outputShape == [2, 32, 26, 26])
        #expect(byName["0.1"]?.outputShape == [2, 32, 13, 13])
        #expect(byName["0.0"]?.depth == 1)
        #expect(byName["0"]?.trainableState == .frozen)
        #expect(byName["2"]?.trainableState == .trainable)
        #expect(byName["1"]?.trainableState == ModelSummary.TrainableState.none)
        #expect(summary.frozenParameterCount == 320 + 18_496)
        #expect(model.isTraining)
    }

    @Test func summaryWithoutAnInputShapeListsLayersOnly() throws {
        let model = try Sequential { try Dense(4, 2, seed: 1) }
        let summary = try model.summary()
        #expect(summary.rows.count == 1)
        #expect(summary.rows[0].outputShape == nil)
        #expect(throws: NNError.self) { try model.summary(inputShape: [1, 5]) }
    }
}
