import Foundation
import Testing

@testable import Cell

/// Issue 4's optimisation options in cells: gradient clipping, parameter groups with their own
/// learning rates, frozen layers, the max-norm constraint, gradient accumulation, augmentation,
/// and the classification metrics with the confusion matrix.
@Suite struct BindingsOptimizationTests {
    private func harness() -> CellHarness {
        let harness = CellHarness()
        harness.run(
            """
            seed(5)
            let data = Synthetic.blobs(centers: 3, pointsPerCenter: 20, standardDeviation: 0.5)
            let (x, y) = data.tensors()
            let model = Sequential { Dense(2, 8, activation: relu); Dense(8, 3) }
            let (loss, grads) = valueWithGradient(of: model) { m in softmaxCrossEntropy(m(x), y) }
            """)
        return harness
    }

    @Test func gradientsClipByGlobalNormAndByValue() throws {
        let harness = harness()
        #expect(harness.run("grads.globalNorm() > 0.05").result == "true")
        #expect(
            harness.run("abs(grads.clipped(byGlobalNorm: 0.05).globalNorm() - 0.05) < 1e-5")
                .result == "true")
        #expect(
            harness.run("grads.clipped(byValue: 0.01)[\"1.weight\"]!.abs().max().scalar <= 0.01")
                .result == "true")
        let both = try #require(harness.run("SGD(clipNorm: 1, clipValue: 1)").error)
        #expect(both.value.contains("clipNorm or clipValue"))
    }

    @Test func anOptimizerClipsItsStep() {
        let harness = harness()
        harness.run(
            """
            let before = model[0].weight.value
            let opt = SGD(learningRate: 1, clipNorm: 1e-3)
            opt.update(model, along: grads)
            let change = sqrt((model[0].weight.value - before).squared().sum().scalar)
            """)
        #expect(harness.run("change > 0 && change <= 1e-3 + 1e-6").result == "true")
    }

    @Test func aParameterGroupHasItsOwnLearningRate() {
        let harness = harness()
        harness.run(
            """
            let first = model[0].weight.value
            let second = model[1].weight.value
            let opt = SGD(learningRate: 0.1, groups: [ParameterGroup(prefix: "0", learningRate: 0)])
            opt.update(model, along: grads)
            """)
        #expect(harness.run("model[0].weight.value.allClose(first)").result == "true")
        #expect(harness.run("model[1].weight.value.allClose(second)").result == "false")
        #expect(harness.run("opt.parameterGroups.count").result == "1")
    }

    @Test func aFrozenLayerKeepsItsWeightsThroughFit() {
        let harness = harness()
        harness.run(
            """
            model[0].freeze()
            let first = model[0].weight.value
            let second = model[1].weight.value
            model.fit(data, epochs: 2, batchSize: 16, optimizer: Adam(learningRate: 0.01),
                      verbose: false)
            """)
        #expect(harness.run("model[0].isFrozen").result == "true")
        #expect(harness.run("model.summary().trainableParameterCount").result == "27")
        #expect(harness.run("model[0].weight.value.allClose(first)").result == "true")
        #expect(harness.run("model[1].weight.value.allClose(second)").result == "false")
        harness.run("model[0].unfreeze()")
        #expect(harness.run("model.summary().trainableParameterCount").result == "51")
    }

    @Test func gradientAccumulationStepsOncePerGroupOfBatches() throws {
        let harness = harness()
        harness.run(
            """
            let every = SGD(learningRate: 0.01)
            let accumulated = SGD(learningRate: 0.01)
            model.fit(data, epochs: 1, batchSize: 10, optimizer: every, shuffle: false,
                      verbose: false)
            model.fit(data, epochs: 1, batchSize: 10, optimizer: accumulated, shuffle: false,
                      gradientAccumulation: 3, verbose: false)
            """)
        #expect(harness.run("every.stepCount").result == "6")
        #expect(harness.run("accumulated.stepCount").result == "2")
        let zero = try #require(
            harness.run("model.fit(data, optimizer: every, gradientAccumulation: 0)").error)
        #expect(zero.value.contains("gradientAccumulation"))
    }

    @Test func theMaxNormConstraintBoundsEachUnitsWeights() throws {
        let harness = harness()
        harness.run(
            """
            model[0].weight.constraint = Constraint.maxNorm(0.2)
            SGD(learningRate: 0.5).update(model, along: grads)
            let norms = model[0].weight.value.squared().sum(alongAxes: [1]).sqrt()
            """)
        #expect(harness.run("norms.max().scalar <= 0.2 + 1e-5").result == "true")
        #expect(harness.run("model[0].weight.constraint").result == "maxNorm(0.2)")
        let negative = try #require(
            harness.run(
                "model[1].weight.constraint = Constraint.maxNorm(-1)\nSGD().update(model, along: grads)"
            ).error)
        #expect(negative.value.contains("maxNorm"))
    }

    @Test func augmentationsChangeTheTrainingImagesOnly() {
        let harness = CellHarness()
        harness.run(
            """
            seed(2)
            let images = MNIST().train.prefix(32)
            func firstImages(_ augmentations) {
                for (x, _) in images.batches(of: 8, augmentations: augmentations) { return x }
                return nil
            }
            let plain = firstImages([])
            let noisy = firstImages([Augmentation.gaussianNoise(0.3)])
            let flipped = firstImages([Augmentation.horizontalFlip(probability: 1)])
            """)
        #expect(harness.run("noisy!.shape == plain!.shape").result == "true")
        #expect(harness.run("noisy!.allClose(plain!)").result == "false")
        #expect(
            harness.run("flipped![0, 0, 10, 0].scalar == plain![0, 0, 10, 27].scalar").result
                == "true")
        #expect(harness.run("firstImages([]).allClose(plain!)").result == "true")
    }

    @Test func classificationMetricsAndTheConfusionMatrix() {
        let harness = harness()
        harness.run(
            """
            model.fit(data, epochs: 30, batchSize: 20, optimizer: Adam(learningRate: 0.05),
                      verbose: false)
            let results = model.evaluate(data, metrics: [.accuracy, .topKAccuracy(2), .precision,
                                                         .recall, .f1])
            let matrix = model.confusionMatrix(data)
            """)
        #expect(
            harness.run("Array(results.keys)").result
                == "[\"loss\", \"accuracy\", \"top_2_accuracy\", \"precision\", \"recall\", \"f1\"]"
        )
        #expect(
            harness.run("results[\"top_2_accuracy\"]! >= results[\"accuracy\"]!").result == "true")
        #expect(harness.run("results[\"f1\"]! >= 0 && results[\"f1\"]! <= 1").result == "true")
        #expect(harness.run("matrix.rows.count").result == "3")
        #expect(harness.run("matrix.total").result == "60")
        #expect(
            harness.run("abs(matrix.accuracy - results[\"accuracy\"]!) < 1e-6")
                .result == "true")
    }
}
