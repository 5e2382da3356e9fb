import Data
import Foundation
import NN
import Tensor
import Testing

@testable import Compress

/// Int8 convolutions: the layer against a float reference within its rounding bound, BatchNorm
/// folding, the quantized CNN through save/load, dynamic mode, QAT, and the pretrained
/// Fashion-MNIST CNN on real test images.
@Suite struct QuantizedConvolutionTests {
    /// A small CNN of the pretrained model's shape: Conv → BatchNorm → ReLU → MaxPool, twice,
    /// then Flatten → Dense relu → Dense; its BatchNorms hold non-trivial statistics.
    static func cnn(seed: UInt64 = 7) throws -> Sequential {
        let model = try Sequential {
            try Conv2D(1, 4, kernelSize: 3, padding: .same, seed: seed)
            try BatchNorm(4)
            ReLU()
            MaxPool2D(2)
            try Conv2D(4, 6, kernelSize: 3, padding: .same, seed: seed + 1)
            try BatchNorm(6)
            ReLU()
            MaxPool2D(2)
            Flatten()
            try Dense(6 * 3 * 3, 8, activation: .relu, seed: seed + 2)
            try Dense(8, 3, seed: seed + 3)
        }
        var generator = RandomGenerator(seed: seed)
        for case let norm as BatchNorm in model.layers {
            let count = norm.featureCount
            try norm.runningMean.assign(
                Tensor.uniform([count], low: -0.3, high: 0.3, using: &generator))
            try norm.runningVariance.assign(
                Tensor.uniform([count], low: 0.2, high: 2, using: &generator))
            try norm.weight?.assign(Tensor.uniform([count], low: 0.5, high: 1.5, using: &generator))
            try norm.bias?.assign(Tensor.uniform([count], low: -0.2, high: 0.2, using: &generator))
        }
        model.eval()
        return model
    }

    private func images(_ count: Int, seed: UInt64 = 11) throws -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return try Tensor.uniform([count, 1, 12, 12], using: &generator)
    }

    private func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { Swift.abs($0 - $1) }.max() ?? .infinity
    }

    /// The int8 convolution is exactly the convolution of the dequantized input and weight
    /// (up to float32 summation order), and within the rounding bound of the float one:
    /// |error| ≤ Σ (|x|·s_w/2 + |w|·s_x/2 + s_x·s_w/4) over the window. Inputs span
    /// [−1, 1], so the zero point is not 0 and padding taps must carry it.
    @Test(arguments: [
        (Padding.same, Size2D(1), Size2D(1)), (Padding.explicit(Size2D(2)), Size2D(2), Size2D(1)),
        (Padding.valid, Size2D(1), Size2D(2)), (Padding.same, Size2D(1), Size2D(2)),
    ])
    func theInt8ConvolutionIsTheDequantizedOneWithinTheRoundingBound(
        padding: Padding, stride: Size2D, dilation: Size2D
    ) throws {
        var generator = RandomGenerator(seed: 3)
        let conv = try Conv2D(
            3, 5, kernelSize: Size2D(height: 3, width: 2), stride: stride, padding: padding,
            dilation: dilation, seed: 4)
        let x = try Tensor.uniform([2, 3, 9, 8], low: -1, high: 1, using: &generator)
        let input = ActivationQuantization(low: -1, high: 1)
        #expect(input.zeroPoint != 0)
        let layer = try QuantizedConv2D(quantizing: conv, input: input)
        let got = try layer(x)
        let float = try withoutGradient { try conv(x) }
        #expect(got.shape == float.shape)
        let weight = try layer.quantizedWeight()
        let reference = try withoutGradient {
            try conv.convolve(input.dequantize(input.quantize(x)), weight: weight.dequantized())
        }
        #expect(largestDifference(got.scalars, reference.scalars) < 1e-4)
        // The bound, with every tap counted (padding taps only make it looser).
        let window = Float(3 * 3 * 2)
        let weightScale = weight.scales.max() ?? 0
        let largestWeight = conv.weight.value.scalars.map(Swift.abs).max() ?? 0
        let bound =
            window
            * (1 * weightScale / 2 + largestWeight * input.scale / 2 + input.scale * weightScale / 4)
        let error = largestDifference(got.scalars, float.scalars)
        #expect(error <= bound && error > 0, "error \(error), bound \(bound)")
    }

    /// A fused max pooling takes the maximum of the accumulators: exactly the pooled output of
    /// the unfused layer, rows and columns that fill no window dropped (floor mode).
    @Test(arguments: [Activation.relu, .identity])
    func aFusedMaxPoolIsThePoolOfTheInt8Output(activation: Activation) throws {
        var generator = RandomGenerator(seed: 5)
        let conv = try Conv2D(2, 3, kernelSize: 3, activation: activation, seed: 6)
        let x = try Tensor.uniform([3, 2, 10, 9], low: -1, high: 1, using: &generator)
        let layer = try QuantizedConv2D(
            quantizing: conv, input: ActivationQuantization(low: -1, high: 1))
        let fused = try layer.fusingMaxPool(2)
        let expected = try layer(x).maxPool2d(kernel: 2, stride: 2, padding: 0)
        let got = try fused(x)
        #expect(got.shape == [3, 3, 4, 3] && got.shape == expected.shape)
        #expect(got.scalars == expected.scalars)
        #expect(throws: CompressError.self) {
            try QuantizedConv2D(2, 3, kernelSize: 3, activation: .sigmoid, pool: 2)
        }
    }

    @Test func foldingABatchNormGivesTheSameOutputs() throws {
        let model = try Self.cnn()
        let conv = try #require(model.layers[0] as? Conv2D)
        let norm = try #require(model.layers[1] as? BatchNorm)
        let folded = try foldBatchNorm(norm, into: conv)
        let x = try images(3)
        let expected = try withoutGradient { try norm(conv(x)) }
        let got = try withoutGradient { try folded(x) }
        #expect(largestDifference(got.scalars, expected.scalars) < 1e-5)
        // The whole model, folded and with its ReLUs fused, computes the same.
        let copy = try LayerRewriting.copy(model, function: "test")
        try foldBatchNormsAndReLUs(copy)
        let layers = try #require(copy as? Sequential).layers
        #expect(
            layers.map(\.typeName) == [
                "Conv2D", "MaxPool2D", "Conv2D", "MaxPool2D", "Flatten", "Dense", "Dense",
            ])
        #expect((layers[0] as? Conv2D)?.activation == .relu)
        let whole = try withoutGradient { (try model(x).scalars, try copy(x).scalars) }
        #expect(largestDifference(whole.0, whole.1) < 1e-5)
        #expect(throws: CompressError.self) {
            try foldBatchNorm(BatchNorm(3), into: conv)
        }
    }

    @Test func aQuantizedCNNRunsInt8ConvolutionsAndLoadsBackFromAnInt8File() throws {
        let model = try Self.cnn()
        let calibration = try images(32, seed: 12)
        let quantized = try quantize(model, calibrationInputs: calibration)
        let convolutions = quantized.namedLayers().compactMap { $0.layer as? QuantizedConv2D }
        #expect(convolutions.map(\.mode) == [.static, .static])
        #expect(convolutions.map(\.activation) == [.relu, .relu])
        #expect(convolutions.map(\.pool) == [2, 2])
        #expect(
            !quantized.namedLayers().contains { $0.layer is BatchNorm || $0.layer is MaxPool2D })
        let x = try images(20)
        let float = try model.predict(x)
        let int8 = try quantized.predict(x)
        #expect(
            largestDifference(float.scalars, int8.scalars) < 0.05
                * (float.scalars.map(Swift.abs).max() ?? 1))
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("int8-cnn-\(UInt64.random(in: 0...UInt64.max)).safetensors")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try quantized.save(to: path)
        let loaded = try loadModel(from: path)
        #expect(try loaded.predict(x).scalars == int8.scalars)
        let file = try SafeTensorsFile.read(path)
        #expect(file.tensors["0.weight"]?.dtype == .int8)
        #expect(file.tensors["0.weight"]?.shape == [4, 1, 3, 3])
        #expect(file.tensors["0.weight_scale"]?.shape == [4])
        #expect(file.tensors["0.input_scale"]?.dtype == .float32)
        // The summary shows the int8 convolutions with their parameters (BatchNorm's γ and β
        // folded away).
        let summary = try quantized.summary(inputShape: [1, 1, 12, 12])
        #expect(summary.rows.first?.typeName == "QuantizedConv2D")
        #expect(summary.rows.first?.parameterCount == 4 * 9 + 4)
        #expect("\(summary)".contains("1 → 4, 3×3, padding same, relu, max pool 2×2, int8 static"))
        #expect(summary.rows.first?.outputShape == [1, 4, 6, 6])
    }

    @Test func dynamicQuantizationQuantizesTheConvolutionsToo() throws {
        let model = try Self.cnn()
        let quantized = try quantize(model, mode: .dynamic)
        let convolutions = quantized.namedLayers().compactMap { $0.layer as? QuantizedConv2D }
        #expect(convolutions.map(\.mode) == [.dynamic, .dynamic])
        let x = try images(20)
        let float = try model.predict(x).scalars
        #expect(
            largestDifference(float, try quantized.predict(x).scalars) < 0.05
                * (float.map(Swift.abs).max() ?? 1))
    }

    @Test func quantizationAwareTrainingOfACNNConvertsToTheModelItSimulated() throws {
        let model = try Self.cnn()
        let qat = try prepareQuantizationAwareTraining(model)
        #expect(qat.namedLayers().filter { $0.layer is FakeQuantizedConv2D }.count == 2)
        #expect(!qat.namedLayers().contains { $0.layer is BatchNorm })
        let x = try images(16)
        let data = try Dataset(
            features: x.scalars, elementShape: [1, 12, 12], labels: (0..<16).map { Int32($0 % 3) })
        qat.train()
        let weight = try #require(qat.namedParameters().first { $0.name == "0.weight" })
        let before = weight.parameter.value.scalars
        try qat.fit(
            data, epochs: 2, batchSize: 8, optimizer: Adam(learningRate: 0.01),
            generator: RandomGenerator(seed: 2))
        #expect(weight.parameter.value.scalars != before)
        let quantized = try convertQuantizationAware(qat)
        #expect(quantized.namedLayers().filter { $0.layer is QuantizedConv2D }.count == 2)
        qat.eval()
        let simulated = try qat.predict(x).scalars
        let int8 = try quantized.predict(x).scalars
        #expect(largestDifference(simulated, int8) < 0.05 * (simulated.map(Swift.abs).max() ?? 1))
        let copy = try qat.architecture().build()
        try copy.load(stateDict: qat.stateDict())
        copy.eval()
        #expect(try copy.predict(x).scalars == simulated)
    }

    /// The pretrained Fashion-MNIST CNN (notebooks/models) quantized on 256 training images
    /// keeps its accuracy within 1 point on 1,000 real test images (the notebook checks all
    /// 10,000).
    @Test func thePretrainedCNNKeepsItsAccuracyOnRealTestImages() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let model = try loadModel(
            from: root.appendingPathComponent("notebooks/models/fashion-mnist-cnn.safetensors").path
        )
        model.eval()
        let data = try FashionMNIST()
        let quantized = try quantize(model, calibration: data.train.prefix(256))
        #expect(quantized.namedLayers().filter { $0.layer is QuantizedConv2D }.count == 2)
        let test = data.test.prefix(1_000)
        let float = try #require(model.evaluate(test)["accuracy"])
        let int8 = try #require(quantized.evaluate(test)["accuracy"])
        #expect(float > 0.85)
        #expect(Swift.abs(float - int8) <= 0.01, "float \(float), int8 \(int8)")
    }
}
