import Data
import NN
import Tensor
import Testing

@testable import Compress

/// Quantization-aware training: the straight-through estimator's gradient rule, training
/// through fake quantization, and conversion to the int8 model it simulated.
@Suite struct QuantizationAwareTrainingTests {
    /// The documented rule (Tensor.fakeQuantized): the incoming gradient passes where
    /// x / scale + zeroPoint lies in [−128.5, 127.5], and is 0 where the value was clipped.
    @Test func theStraightThroughGradientFollowsTheDocumentedRule() throws {
        let scale: Float = 0.1
        let zeroPoint: Int32 = -28
        let x = try Tensor(
            [-11, -10.04, -9.9, 0, 0.03, 5, 15.4, 15.6, 20, -30], shape: [10])
        let upstream = try Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], shape: [10])
        let gradient = try gradient(at: x) { x in
            try (x.fakeQuantized(scales: [scale], zeroPoints: [zeroPoint]) * upstream).sum()
        }
        let expected = zip(x.scalars, upstream.scalars).map { value, g -> Float in
            let level = value / scale + Float(zeroPoint)
            return level >= -128.5 && level <= 127.5 ? g : 0
        }
        #expect(gradient.scalars == expected)
        #expect(expected.contains(0) && expected.contains { $0 != 0 })
        // The forward pass is quantize-then-dequantize: clipped at the ends of the range.
        let forward = try x.fakeQuantized(scales: [scale], zeroPoints: [zeroPoint]).scalars
        #expect(Swift.abs(forward[0] - (-128 + 28) * scale) < 1e-5)
        #expect(Swift.abs(forward[8] - (127 + 28) * scale) < 1e-5)
    }

    @Test func trainingThroughFakeQuantizationConvertsToTheModelItSimulated() throws {
        let data = try CompressFixtures.blobs()
        let model = try CompressFixtures.mlp(hidden: 32)
        try model.fit(
            data, epochs: 4, batchSize: 16, optimizer: Adam(learningRate: 0.01),
            generator: RandomGenerator(seed: 5))
        let qat = try prepareQuantizationAwareTraining(model)
        #expect(qat.namedLayers().filter { $0.layer is FakeQuantizedDense }.count == 3)
        #expect(Set(qat.stateDict().keys) == Set(model.stateDict().keys))
        let before = try qat.stateDict()["0.weight"].map(\.scalars)
        try qat.fit(
            data, epochs: 2, batchSize: 16, optimizer: Adam(learningRate: 0.001),
            generator: RandomGenerator(seed: 6))
        #expect(try qat.stateDict()["0.weight"].map(\.scalars) != before)
        let accuracy = try #require(qat.evaluate(data)["accuracy"])
        #expect(accuracy > 0.8)
        let quantized = try convertQuantizationAware(qat)
        #expect(quantized.namedLayers().filter { $0.layer is QuantizedDense }.count == 3)
        // The int8 model computes what the fake-quantized one simulated, up to float rounding
        // of the requantization (a code off by one at most).
        let simulated = try qat.predict(data).scalars
        let int8 = try quantized.predict(data).scalars
        let largest = zip(simulated, int8).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(largest < 0.05)
        // The QAT model is unchanged by the conversion and can still be saved and reloaded.
        #expect(qat.namedLayers().filter { $0.layer is FakeQuantizedDense }.count == 3)
        let copy = try qat.architecture().build()
        try copy.load(stateDict: qat.stateDict())
        copy.eval()
        #expect(try copy.predict(data).scalars == qat.predict(data).scalars)
    }

    @Test func convertingAModelWithoutFakeQuantizationIsAnError() throws {
        #expect(throws: CompressError.self) {
            try convertQuantizationAware(CompressFixtures.mlp())
        }
    }
}
