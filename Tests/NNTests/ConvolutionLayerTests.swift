import Testing

@testable import NN
@testable import Tensor

@Suite struct ConvolutionLayerTests {
    /// [1, 1, 3, 3] holding 1…9.
    let image: Tensor

    init() throws {
        image = try Tensor((1...9).map(Float.init), shape: [1, 1, 3, 3])
    }

    /// A 1 → 1 convolution with an all-ones kernel and no bias: each output is a window sum.
    func onesKernel(_ size: Int, padding: Padding = .valid, stride: Size2D = 1) throws -> Conv2D {
        let layer = try Conv2D(
            1, 1, kernelSize: Size2D(size), stride: stride, padding: padding, useBias: false)
        try layer.weight.assign(Tensor.ones([1, 1, size, size]))
        return layer
    }

    @Test func weightIsLaidOutLikePyTorch() throws {
        let layer = try Conv2D(3, 16, kernelSize: Size2D(height: 5, width: 3), seed: 1)
        #expect(layer.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(layer.weight.shape == [16, 3, 5, 3])
        #expect(layer.bias?.shape == [16])
        // PyTorch's default bound 1/√(in·kh·kw) = 1/√45.
        let bound = 1 / Float(45).squareRoot()
        #expect(layer.weight.value.scalars.allSatisfy { Swift.abs($0) <= bound })
    }

    @Test func validConvolutionSumsWindows() throws {
        // 2×2 windows of 1…9: 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9.
        let output = try onesKernel(2)(image)
        #expect(output.shape == [1, 1, 2, 2])
        #expect(output.scalars == [12, 16, 24, 28])
    }

    @Test func samePaddingWithAnEvenKernelPadsBottomAndRight() throws {
        // Total padding 1 goes after the image (PyTorch): the last row and column see zeros.
        let output = try onesKernel(2, padding: .same)(image)
        #expect(output.shape == [1, 1, 3, 3])
        #expect(output.scalars == [12, 16, 9, 24, 28, 15, 15, 17, 9])
    }

    @Test func samePaddingWithAnOddKernelIsSymmetric() throws {
        // 3×3 window sums with one ring of zeros: the centre sees all of 1…9 (45).
        let output = try onesKernel(3, padding: .same)(image)
        #expect(output.shape == [1, 1, 3, 3])
        #expect(output.scalars == [12, 21, 16, 27, 45, 33, 24, 39, 28])
        #expect(throws: NNError.self) {
            try Conv2D(1, 1, kernelSize: 3, stride: 2, padding: .same)
        }
    }

    @Test func strideSkipsWindows() throws {
        let large = try Tensor((1...16).map(Float.init), shape: [1, 1, 4, 4])
        // Windows at (0,0), (0,2), (2,0), (2,2).
        let output = try onesKernel(2, stride: 2)(large)
        #expect(output.scalars == [14, 22, 46, 54])
    }

    @Test func convolutionGradientsMatchFiniteDifferences() throws {
        let model = try Sequential {
            try Conv2D(2, 3, kernelSize: 3, padding: 1, activation: .tanh, seed: 1)
            MaxPool2D(2)
            Flatten()
            try Dense(12, 2, seed: 2)
        }
        let x = try sample([2, 2, 4, 4], seed: 3)
        let y = try Tensor([1, 0] as [Int32], shape: [2])
        try checkModelGradients(of: model) { m in try softmaxCrossEntropy(m(x), y) }
    }

    @Test func wrongChannelsAreNamed() throws {
        let layer = try Conv2D(3, 8, kernelSize: 3, seed: 1)
        #expect(
            throws: NNError.invalidInput(
                layer: "Conv2D(3 → 8)", expected: "an [N, 3, H, W] input", actual: [1, 1, 5, 5])
        ) { try layer(Tensor.zeros([1, 1, 5, 5])) }
    }

    /// `Sequential` runs a `Conv2D` and the 2×2 `MaxPool2D` after it as one operation: the
    /// same output and parameter gradients as the layers applied one by one, for ReLU and no
    /// activation, "same" padding with an even kernel; other pools and activations are not
    /// fused (`pooledOutput` is nil) and still agree.
    @Test func sequentialFusesConvolutionAndPooling() throws {
        let configurations: [(Activation, Padding, Int, MaxPool2D)] = [
            (.relu, .valid, 3, MaxPool2D(2)), (.identity, .same, 2, MaxPool2D(2)),
            (.tanh, .valid, 3, MaxPool2D(2)), (.relu, .valid, 3, MaxPool2D(3)),
            (.relu, .valid, 3, MaxPool2D(2, stride: 1)),
        ]
        for (index, (activation, padding, kernel, pool)) in configurations.enumerated() {
            let convolution = try Conv2D(
                3, 4, kernelSize: Size2D(kernel), padding: padding, activation: activation,
                seed: UInt64(index))
            let model = try Sequential {
                convolution
                pool
                Flatten()
            }
            var generator = RandomGenerator(seed: 40 + UInt64(index))
            let x = try Tensor.uniform([2, 3, 9, 10], low: -1, high: 1, using: &generator)
            let fusable = index < 2
            #expect((try convolution.pooledOutput(x, by: pool) != nil) == fusable)
            let fused = try model(x)
            let oneByOne = try model.layers.reduce(x) { value, layer in try layer(value) }
            #expect(fused.shape == oneByOne.shape)
            #expect(fused.scalars == oneByOne.scalars, "configuration \(index)")
            let seed = try Tensor.uniform(fused.shape, low: -1, high: 1, using: &generator)
            let expected = try gradient(of: model) { m in
                try (m.layers.reduce(x) { value, layer in try layer(value) } * seed).sum()
            }
            let actual = try gradient(of: model) { m in try (m(x) * seed).sum() }
            #expect(expected.count == 2 && actual.names == expected.names)
            for name in expected.names {
                guard let e = expected[name], let a = actual[name] else {
                    Issue.record("no gradient for \(name)")
                    continue
                }
                #expect(e.shape == a.shape)
                for (u, v) in zip(a.scalars, e.scalars) {
                    #expect(Swift.abs(u - v) <= 1e-5 * max(1, Swift.abs(v)), "\(index)")
                }
            }
        }
    }

    @Test func poolingLayers() throws {
        let large = try Tensor((1...16).map(Float.init), shape: [1, 1, 4, 4])
        #expect(try MaxPool2D(2)(large).scalars == [6, 8, 14, 16])
        #expect(try AvgPool2D(2)(large).scalars == [3.5, 5.5, 11.5, 13.5])
        let global = try GlobalAvgPool()(large)
        #expect(global.shape == [1, 1])
        #expect(global.scalars == [8.5])
        #expect(throws: NNError.self) { try MaxPool2D(2)(Tensor.zeros([4, 4])) }
    }
}
