import Testing

@testable import NN
@testable import Tensor

@Suite struct NormalizationLayerTests {
    /// [4, 2]: channel 0 is 1…4 (mean 2.5, biased variance 1.25), channel 1 is 10…40 (mean 25,
    /// biased variance 125).
    let batch: Tensor

    init() throws {
        batch = try Tensor([1, 10, 2, 20, 3, 30, 4, 40], shape: [4, 2])
    }

    @Test func batchNormNormalizesByBatchStatisticsInTraining() throws {
        let norm = try BatchNorm(2)
        let output = try norm(batch).scalars
        let scale0 = 1 / (1.25 + 1e-5 as Float).squareRoot()
        let scale1 = 1 / (125 + 1e-5 as Float).squareRoot()
        expectClose(
            output,
            [
                -1.5 * scale0, -15 * scale1, -0.5 * scale0, -5 * scale1, 0.5 * scale0,
                5 * scale1, 1.5 * scale0, 15 * scale1,
            ])
    }

    @Test func batchNormRunningStatisticsFollowPyTorch() throws {
        let norm = try BatchNorm(2)
        _ = try norm(batch)
        // mean: 0.9·0 + 0.1·[2.5, 25]; var: 0.9·1 + 0.1·unbiased [1.25·4/3, 125·4/3].
        expectClose(norm.runningMean.value.scalars, [0.25, 2.5])
        expectClose(norm.runningVariance.value.scalars, [0.9 + 0.1 * 5 / 3, 0.9 + 0.1 * 500 / 3])
        #expect(try norm.batchesTracked.value.scalars(as: Int32.self) == [1])
        norm.eval()
        let evaluated = try norm(batch).scalars
        let expected0 = (1 - 0.25) / (0.9 + 0.5 / 3 + 1e-5 as Float).squareRoot()
        expectClose([evaluated[0]], [expected0])
        #expect(try norm.batchesTracked.value.scalars(as: Int32.self) == [1])
    }

    @Test func batchNormWithoutMomentumAveragesCumulatively() throws {
        let norm = try BatchNorm(2, momentum: nil)
        _ = try norm(batch)
        _ = try norm(batch * 3)
        // Cumulative mean of the two batch means [2.5, 25] and [7.5, 75].
        expectClose(norm.runningMean.value.scalars, [5, 50])
    }

    @Test func batchNormStateDictNamesMatchPyTorch() throws {
        let model = try Sequential {
            try Dense(3, 2, seed: 1)
            try BatchNorm(2)
        }
        #expect(
            model.namedParameters().map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias"])
        #expect(
            model.namedBuffers().map(\.name) == [
                "1.running_mean", "1.running_var", "1.num_batches_tracked",
            ])
    }

    @Test func batchNorm2dNormalizesEachChannelOverBatchAndSpace() throws {
        let norm = try BatchNorm(3)
        let x = try sample([2, 3, 4, 4], seed: 5) * 3 + 1
        let y = try norm(x)
        let means = try y.mean(alongAxes: [0, 2, 3]).scalars
        let variances = try y.squared().mean(alongAxes: [0, 2, 3]).scalars
        expectClose(means, [0, 0, 0], tolerance: 1e-5)
        expectClose(variances, [1, 1, 1], tolerance: 1e-3)
    }

    @Test func batchNormGradientsMatchFiniteDifferences() throws {
        let model = try Sequential {
            try Dense(3, 4, seed: 1)
            try BatchNorm(4)
            Tanh()
            try Dense(4, 2, seed: 2)
        }
        let x = try sample([6, 3], seed: 3)
        let y = try Tensor([0, 1, 1, 0, 1, 0] as [Int32], shape: [6])
        try checkModelGradients(of: model) { m in try softmaxCrossEntropy(m(x), y) }
    }

    @Test func batchNormNeedsMoreThanOneValuePerChannelInTraining() throws {
        let norm = try BatchNorm(2)
        #expect(throws: NNError.self) { try norm(Tensor([1, 2], shape: [1, 2])) }
        norm.eval()
        #expect(try norm(Tensor([1, 2], shape: [1, 2])).shape == [1, 2])
    }

    @Test func layerNormNormalizesEachSample() throws {
        let norm = try LayerNorm([3])
        // [1, 2, 3]: mean 2, variance 2/3.
        let scale = 1 / (2.0 / 3 + 1e-5 as Float).squareRoot()
        expectClose(try norm(Tensor([1, 2, 3], shape: [1, 3])).scalars, [-scale, 0, scale])
        #expect(norm.namedParameters().map(\.name) == ["weight", "bias"])
        let model = try Sequential {
            try Dense(3, 4, seed: 1)
            try LayerNorm([4])
            Tanh()
        }
        let x = try sample([2, 3], seed: 2)
        try checkModelGradients(of: model) { m in try (m(x) * Tensor([1, 2, 3, 4])).sum() }
        #expect(throws: NNError.self) { try norm(Tensor.zeros([2, 4])) }
    }

    @Test func dropoutDropsAndRescalesOnlyInTraining() throws {
        let dropout = try Dropout(0.25, seed: 1)
        let x = try Tensor.ones([10_000])
        let y = try dropout(x).scalars
        let kept = y.filter { $0 != 0 }
        // Kept elements are scaled by 1/(1 − 0.25); about 75 % are kept.
        #expect(kept.allSatisfy { Swift.abs($0 - 4.0 / 3) < 1e-6 })
        #expect(Swift.abs(Float(kept.count) / 10_000 - 0.75) < 0.02)
        dropout.eval()
        #expect(try dropout(x).scalars == x.scalars)
        #expect(throws: NNError.self) { try Dropout(1) }
    }

    @Test func dropoutIsReproducibleFromItsSeed() throws {
        let x = try Tensor.ones([64])
        let first = try Dropout(0.5, seed: 9)(x).scalars
        let second = try Dropout(0.5, seed: 9)(x).scalars
        #expect(first == second)
    }

    @Test func embeddingLooksUpRowsAndAccumulatesGradients() throws {
        let embedding = try Embedding(4, 2)
        try embedding.weight.assign(Tensor([0, 1, 10, 11, 20, 21, 30, 31], shape: [4, 2]))
        let indices = try Tensor([2, 0, 2] as [Int32], shape: [1, 3])
        let vectors = try embedding(indices)
        #expect(vectors.shape == [1, 3, 2])
        #expect(vectors.scalars == [20, 21, 0, 1, 20, 21])
        let grads = try gradient(of: embedding) { m in try m(indices).sum() }
        // Row 2 is used twice, row 0 once.
        #expect(grads["weight"]?.scalars == [1, 1, 0, 0, 2, 2, 0, 0])
        #expect(throws: (any Error).self) { try embedding(Tensor([4] as [Int32], shape: [1])) }
        #expect(throws: NNError.self) { try embedding(Tensor([-1] as [Int32], shape: [1])) }
    }
}
