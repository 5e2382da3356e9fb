import Foundation
import Testing

@testable import NN
@testable import Tensor

@Suite struct LossTests {
    // Logits whose log-softmax is known in closed form:
    // row 0: lse(1, 2, 3) = 3.40760596 → log p = [-2.40760596, -1.40760596, -0.40760596];
    // row 1: lse(1, 1, 1) = 1 + ln 3 → log p = -ln 3 = -1.09861229 for each class.
    let logits: Tensor
    let labels: Tensor

    init() throws {
        logits = try Tensor([1, 2, 3, 1, 1, 1], shape: [2, 3])
        labels = try Tensor([2, 0] as [Int32], shape: [2])
    }

    @Test func crossEntropyOfClassIndices() throws {
        // −log p[y]: 0.40760596 and 1.09861229.
        try expectScalar(softmaxCrossEntropy(logits, labels), (0.407_605_96 + 1.098_612_29) / 2)
        try expectScalar(
            softmaxCrossEntropy(logits, labels, reduction: .sum), 0.407_605_96 + 1.098_612_29)
        expectClose(
            try softmaxCrossEntropy(logits, labels, reduction: .none).scalars,
            [0.407_605_96, 1.098_612_29])
        // Float labels holding whole numbers work too.
        try expectScalar(
            softmaxCrossEntropy(logits, Tensor([2, 0])), (0.407_605_96 + 1.098_612_29) / 2)
    }

    @Test func crossEntropyIsStableForHugeLogits() throws {
        let huge = try Tensor([1000, 0, -1000, 0], shape: [2, 2])
        let loss = try softmaxCrossEntropy(huge, Tensor([1, 1] as [Int32], shape: [2]))
        // Row 0: −log softmax([1000, 0])[1] = 1000 (no overflow); row 1: log(1 + e⁻¹⁰⁰⁰) = 0.
        try expectScalar(loss, 500, tolerance: 1e-6)
        let same = try softmaxCrossEntropy(
            Tensor([1000, 1000], shape: [1, 2]), Tensor([0] as [Int32], shape: [1]))
        // Float32 spacing near 1000 is 6e-5, so an answer within 1e-4 of ln 2 is exact to the
        // precision logits of that size carry.
        try expectScalar(same, 0.693_147_2, tolerance: 1e-4)
    }

    @Test func labelSmoothingMixesInTheUniformDistribution() throws {
        // ε = 0.3, C = 3: q = 0.7·onehot + 0.1. Row 0: 0.1·2.40760596 + 0.1·1.40760596
        // + 0.8·0.40760596 = 0.70760596; row 1: q sums to 1 → ln 3.
        try expectScalar(
            softmaxCrossEntropy(logits, labels, labelSmoothing: 0.3),
            (0.707_605_96 + 1.098_612_29) / 2)
    }

    @Test func classWeightsScaleTermsAndTheMeanDividesByTheirSum() throws {
        // w = [2, 1, 0.5]: row 0 (class 2) 0.5·0.40760596, row 1 (class 0) 2·1.09861229;
        // the mean divides by w[2] + w[0] = 2.5, as PyTorch does.
        let weights = try Tensor([2, 1, 0.5])
        try expectScalar(
            softmaxCrossEntropy(logits, labels, classWeights: weights),
            (0.5 * 0.407_605_96 + 2 * 1.098_612_29) / 2.5)
    }

    @Test func probabilityTargetsGiveTheCrossEntropyOfDistributions() throws {
        // Row 0: 0.25·2.40760596 + 0.25·1.40760596 + 0.5·0.40760596 = 1.15760596;
        // row 1: one-hot on class 1 → ln 3.
        let target = try Tensor([0.25, 0.25, 0.5, 0, 1, 0], shape: [2, 3])
        try expectScalar(softmaxCrossEntropy(logits, target), (1.157_605_96 + 1.098_612_29) / 2)
    }

    @Test func crossEntropyGradientIsSoftmaxMinusTarget() throws {
        let layer = try ParameterLayer(logits.scalars, shape: [2, 3])
        let grads = try gradient(of: layer) { m in try softmaxCrossEntropy(m(Tensor(0)), labels) }
        // (softmax − onehot) / N: softmax row 0 = [0.09003057, 0.24472847, 0.66524096].
        let expected: [Float] = [
            0.090_030_57 / 2, 0.244_728_47 / 2, (0.665_240_96 - 1) / 2,
            (1.0 / 3 - 1) / 2, 1.0 / 6, 1.0 / 6,
        ]
        expectClose(try #require(grads["value"]).scalars, expected)
        try checkModelGradients(of: layer) { m in
            try softmaxCrossEntropy(
                m(Tensor(0)), labels, labelSmoothing: 0.2, classWeights: Tensor([1, 2, 3]))
        }
    }

    @Test func crossEntropyNamesBadTargets() throws {
        #expect(throws: NNError.self) { try softmaxCrossEntropy(logits, Tensor([0, 1, 2])) }
        for bad: Int32 in [3, -1] {
            #expect(throws: (any Error).self) {
                try softmaxCrossEntropy(logits, Tensor([bad, 0], shape: [2]))
            }
        }
        #expect(throws: NNError.self) {
            try softmaxCrossEntropy(logits, labels, labelSmoothing: 1.5)
        }
        #expect(throws: NNError.self) {
            try softmaxCrossEntropy(logits, labels, classWeights: Tensor([1, 2]))
        }
        #expect(throws: NNError.self) { try softmaxCrossEntropy(Tensor([1, 2]), labels) }
    }

    @Test func binaryCrossEntropyFromLogits() throws {
        // x = [0, 2, −1], y = [1, 0, 1]: ln 2, softplus(2) = 2.12692801, softplus(1) = 1.31326169.
        let x = try Tensor([0, 2, -1])
        let y = try Tensor([1, 0, 1])
        try expectScalar(
            binaryCrossEntropy(x, y), (0.693_147_18 + 2.126_928_01 + 1.313_261_69) / 3)
        // pos_weight 2 doubles the positive terms.
        try expectScalar(
            binaryCrossEntropy(x, y, positiveWeight: Tensor(2)),
            (2 * 0.693_147_18 + 2.126_928_01 + 2 * 1.313_261_69) / 3)
        let layer = try ParameterLayer([0.3, -1.2, 2.5])
        try checkModelGradients(of: layer) { m in try binaryCrossEntropy(m(x), y) }
    }

    @Test func regressionLosses() throws {
        // d = [−0.5, 0, 2].
        let prediction = try Tensor([1, 2, 3])
        let target = try Tensor([1.5, 2, 1])
        try expectScalar(meanSquaredError(prediction, target), (0.25 + 0 + 4) / 3)
        try expectScalar(meanAbsoluteError(prediction, target), (0.5 + 0 + 2) / 3)
        // Huber δ = 1: ½·0.25, 0, 1·(2 − 0.5).
        try expectScalar(huberLoss(prediction, target), (0.125 + 0 + 1.5) / 3)
        #expect(try meanSquaredError(prediction, target, reduction: .none).scalars == [0.25, 0, 4])
        #expect(throws: NNError.self) { try meanSquaredError(prediction, Tensor([1, 2])) }
        let layer = try ParameterLayer([0.3, -1.2, 2.5])
        try checkModelGradients(of: layer) { m in
            try meanSquaredError(m(Tensor(0)), target) + huberLoss(m(Tensor(0)), target)
                + meanAbsoluteError(m(Tensor(0)), target)
        }
    }

    @Test func klDivergenceAgainstProbabilities() throws {
        // q = softmax([0, 0]) = [0.5, 0.5]; p = [0.25, 0.75]:
        // 0.25·ln(0.5) + 0.75·ln(1.5) = 0.13081204. p = [0, 1]: the 0 term counts as 0 → ln 2.
        let uniform = try Tensor([0, 0, 0, 0], shape: [2, 2])
        let target = try Tensor([0.25, 0.75, 0, 1], shape: [2, 2])
        expectClose(
            try klDivergence(uniform, target, reduction: .none).scalars,
            [0.130_812_04, 0.693_147_18])
        try expectScalar(klDivergence(uniform, target), (0.130_812_04 + 0.693_147_18) / 2)
    }

    @Test func distillationScalesBySquaredTemperature() throws {
        // Teacher [0, 2 ln 3] / T=2 → softmax [0.25, 0.75]; student [0, 0] → [0.5, 0.5];
        // KL = 0.13081204, times T² = 4.
        let student = try Tensor([0, 0], shape: [1, 2])
        let teacher = try Tensor([0, 2 * Float(Foundation.log(3.0))], shape: [1, 2])
        try expectScalar(
            klDivergence(logits: student, targetLogits: teacher, temperature: 2),
            4 * 0.130_812_04)
        let layer = try ParameterLayer([0.5, -0.3, 0.1, 0.9], shape: [2, 2])
        let teacherLogits = try Tensor([1, 2, 0.5, -1], shape: [2, 2])
        try checkModelGradients(of: layer) { m in
            try klDivergence(logits: m(Tensor(0)), targetLogits: teacherLogits, temperature: 3)
        }
    }

    @Test func namedLossesWrapTheFunctions() throws {
        let loss = Loss.softmaxCrossEntropy()
        #expect(loss.name == "softmaxCrossEntropy")
        try expectScalar(loss(logits, labels), (0.407_605_96 + 1.098_612_29) / 2)
    }
}
