import Data
import Testing

@testable import NN
@testable import Tensor

/// Metrics against values computed by hand (and by scikit-learn's definitions).
@Suite struct TrainingMetricTests {
    /// Seven examples over three classes; predicted classes are the row maxima:
    /// 0, 1, 2, 1, 0, 2, 0 against labels 0, 0, 1, 1, 2, 2, 2.
    let logits: [Float] = [
        2, 1, 0,
        0.5, 2, 0,
        0, 1, 3,
        0, 3, 1,
        3, 0, 1,
        0, 0.5, 4,
        2, 1, 0,
    ]
    let labels: [Int32] = [0, 0, 1, 1, 2, 2, 2]

    func accumulate(_ metrics: [Metric]) throws -> MetricAccumulator {
        var accumulator = MetricAccumulator(metrics: metrics, classNames: ["a", "b", "c"])
        // Two batches (4 + 3 examples) must give the same as one.
        try accumulator.addPredictions(
            Tensor(Array(logits[0..<12]), shape: [4, 3]),
            targets: Tensor(Array(labels[0..<4]), shape: [4]))
        try accumulator.addPredictions(
            Tensor(Array(logits[12...]), shape: [3, 3]),
            targets: Tensor(Array(labels[4...]), shape: [3]))
        return accumulator
    }

    @Test func confusionMatrixCountsActualAgainstPredicted() throws {
        let accumulator = try accumulate([.precision])
        let matrix = try #require(accumulator.confusion)
        #expect(matrix.rows == [[1, 1, 0], [0, 1, 1], [2, 0, 1]])
        #expect(matrix.classNames == ["a", "b", "c"])
        #expect(matrix.total == 7)
        #expect(matrix[actual: 2, predicted: 0] == 2)
        #expect(matrix[actual: 5, predicted: 0] == 0)
        #expect(Swift.abs(matrix.accuracy - 3.0 / 7) < 1e-12)
        #expect(matrix.description.contains("actual"))
    }

    @Test func accuracyTopKAndMacroScoresMatchHandValues() throws {
        let values = try accumulate([.accuracy, .topKAccuracy(2), .precision, .recall, .f1])
            .dictionary()
        // Precision per class: 1/3, 1/2, 1/2; recall: 1/2, 1/2, 1/3; F1: 2/5, 1/2, 2/5.
        let expected: [String: Double] = [
            "accuracy": 3.0 / 7, "top_2_accuracy": 6.0 / 7, "precision": 4.0 / 9,
            "recall": 4.0 / 9, "f1": 1.3 / 3,
        ]
        for (name, value) in expected {
            let measured = try #require(values[name], "missing \(name)")
            #expect(Swift.abs(measured - value) < 1e-12, "\(name): \(measured) vs \(value)")
        }
    }

    @Test func macroAveragesSkipClassesThatNeverOccur() throws {
        // Four classes; class 3 is neither a label nor a prediction.
        let matrix = try ConfusionMatrix(
            classNames: ["a", "b", "c", "d"],
            rows: [[1, 1, 0, 0], [0, 1, 1, 0], [2, 0, 1, 0], [0, 0, 0, 0]])
        #expect(matrix.presentClasses == [0, 1, 2])
        #expect(Swift.abs(matrix.macroPrecision - 4.0 / 9) < 1e-12)
        #expect(Swift.abs(matrix.macroF1 - 1.3 / 3) < 1e-12)
        #expect(matrix.precision(ofClass: 3) == 0)
        #expect(throws: NNError.self) {
            try ConfusionMatrix(classNames: ["a", "b"], rows: [[1, 2]])
        }
    }

    @Test func aSingleLogitPredictsClassOneWhenPositive() throws {
        var accumulator = MetricAccumulator(metrics: [.accuracy, .recall])
        try accumulator.addPredictions(
            Tensor([2, -1, 0.5, -3], shape: [4, 1]),
            targets: Tensor([Int32(1), 0, 0, 1], shape: [4]))
        let values = accumulator.dictionary()
        #expect(values["accuracy"] == 0.5)
        // Predicted 1, 0, 1, 0: recall of class 0 is 1/2, of class 1 is 1/2.
        #expect(values["recall"] == 0.5)
        #expect(accumulator.confusion?.rows == [[1, 1], [1, 1]])
    }

    @Test func labelsThatAreNotClassIndicesCountAsMissesWithoutTrapping() throws {
        var accumulator = MetricAccumulator(metrics: [.accuracy, .topKAccuracy(2), .f1])
        try accumulator.addPredictions(
            Tensor([Float](repeating: 0, count: 12), shape: [4, 3]),
            targets: Tensor([Float.nan, 1e30, -7, 0]))
        // All logits tie: class 0 is predicted, so only the last example is a hit.
        #expect(accumulator.dictionary()["accuracy"] == 0.25)
        #expect(accumulator.confusion?.total == 1)
    }

    @Test func regressionErrorsAverageOverEveryValue() throws {
        var accumulator = MetricAccumulator(metrics: [.meanAbsoluteError, .meanSquaredError])
        try accumulator.addPredictions(
            Tensor([1, 2, 3, 4], shape: [2, 2]), targets: Tensor([1, 0, 4, 4], shape: [2, 2]))
        accumulator.addLoss(2, count: 2)
        let values = accumulator.dictionary()
        #expect(values["mae"] == 0.75)  // (0 + 2 + 1 + 0) / 4
        #expect(values["mse"] == 1.25)  // (0 + 4 + 1 + 0) / 4
        #expect(values["loss"] == 2)
    }

    @Test func lossIsWeightedByBatchSizeAndCustomMetricsByExamples() throws {
        let firstTwo = Metric.custom(name: "first") { prediction, _ in
            Double(prediction.scalars.first ?? 0)
        }
        var accumulator = MetricAccumulator(metrics: [firstTwo])
        accumulator.addLoss(1, count: 3)
        accumulator.addLoss(4, count: 1)
        try accumulator.addPredictions(
            Tensor([1, 1, 1], shape: [3, 1]), targets: Tensor([0, 0, 0]))
        try accumulator.addPredictions(Tensor([5], shape: [1, 1]), targets: Tensor([0]))
        #expect(accumulator.meanLoss == 1.75)
        #expect(accumulator.dictionary()["first"] == 2)  // (1·3 + 5·1) / 4
    }

    @Test func modelConfusionMatrixAgreesWithPredictedClasses() throws {
        let data = try TrainingFixtures.blobs(perClass: 15)
        let model = try TrainingFixtures.mlp()
        let matrix = try model.confusionMatrix(data, batchSize: 7)
        let predicted = try model.predict(data).argmax(alongAxis: 1).scalars(as: Int32.self)
        var expected = [[Int]](repeating: [0, 0, 0], count: 3)
        for (label, prediction) in zip(data.labels, predicted) {
            expected[Int(label)][Int(prediction)] += 1
        }
        #expect(matrix.rows == expected)
        #expect(matrix.classNames == data.classNames)
        let evaluated = try model.evaluate(data, metrics: [.accuracy, .f1])
        #expect(evaluated["accuracy"] == matrix.accuracy)
        #expect(evaluated["f1"] == matrix.macroF1)
    }

    @Test func metricsAreNamedAndParsedLikeKeras() {
        #expect(Metric.topKAccuracy(5).name == "top_5_accuracy")
        #expect(Metric(named: "top_3_accuracy")?.name == "top_3_accuracy")
        #expect(Metric(named: "f1")?.name == "f1")
        #expect(Metric(named: "top_0_accuracy") == nil)
        #expect(Metric(named: "nonsense") == nil)
        #expect(MonitorMode.auto.resolved(for: "val_accuracy") == .max)
        #expect(MonitorMode.auto.resolved(for: "val_top_5_accuracy") == .max)
        #expect(MonitorMode.auto.resolved(for: "val_loss") == .min)
        #expect(MonitorMode.auto.resolved(for: "mae") == .min)
    }
}
