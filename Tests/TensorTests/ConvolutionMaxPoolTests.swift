import Testing

@testable import Tensor

/// `conv2dMaxPool2x2`, the convolution and its 2×2 max pooling as one operation, against the two
/// operations run one after the other: the same pooled values, and the same input, weight and
/// bias gradients, on each backend (im2col + sgemm and oneDNN), with the batch in one part and in
/// two (as two threads split it), ReLU and none, with and without a bias, on odd output sizes
/// (a last row and column no window covers), batches longer than one oneDNN run, and the CNN's
/// two layers.
@Suite struct ConvolutionMaxPoolTests {
    struct Case: Sendable, CustomStringConvertible {
        let input: [Int]
        let outputs: Int
        let padding: Size2D
        var description: String { "\(input) → \(outputs), padding \(padding)" }
    }

    static let cases = [
        Case(input: [3, 2, 8, 9], outputs: 5, padding: 0),  // output 6×7
        Case(input: [2, 3, 7, 7], outputs: 4, padding: 1),  // output 7×7
        Case(input: [2, 1, 28, 28], outputs: 32, padding: 0),  // the CNN's first layer
        Case(input: [3, 32, 13, 13], outputs: 64, padding: 0),  // its second (11×11)
        Case(input: [37, 16, 7, 7], outputs: 8, padding: 0),  // runs of 32 and 5 images
    ]

    /// Pooled output and input, weight, bias gradients: fused when `fused`, else the
    /// convolution, `maxPool2d` and their backward passes one after the other.
    func passes(
        _ c: Case, backend: ConvolutionBackend, activation: FusedActivation, bias useBias: Bool,
        parts: [Range<Int>], fused: Bool
    ) throws -> [Tensor?] {
        let input = try sample(c.input, seed: 601)
        let weight = try sample([c.outputs, c.input[1], 3, 3], seed: 602)
        let bias = useBias ? try sample([c.outputs], seed: 603) : nil
        let geometry = try WindowGeometry(
            input: c.input, kernel: 3, stride: 1, padding: c.padding, dilation: 1,
            operation: "test")
        let convolution = Convolution(
            geometry: geometry, outputs: c.outputs, input: input, weight: weight,
            hasBias: useBias, parts: parts, backend: backend)
        let pooledShape = [
            c.input[0], c.outputs, geometry.outputHeight / 2, geometry.outputWidth / 2,
        ]
        let upstream = try sample(pooledShape, seed: 604)
        let needs = (input: true, weight: true, bias: useBias)
        if fused {
            let pooling = try ConvolutionPooling(
                convolutionShape: [
                    c.input[0], c.outputs, geometry.outputHeight, geometry.outputWidth,
                ], afterRelu: activation == .relu)
            let pooled = try convolution.forward(
                bias: bias, activation: activation, pooling: pooling)
            let gradients = try convolution.backward(
                upstream, output: nil, activation: activation, needs: needs, pooling: pooling)
            return [pooled, gradients.input, gradients.weight, gradients.bias]
        }
        let output = try convolution.forward(bias: bias, activation: activation)
        let leaf = output.requiringGradient()
        let pooled = try leaf.maxPool2d(kernel: 2)
        let outputGradient = try pooled.gradients(at: [leaf], seed: upstream)[0]
        let gradients = try convolution.backward(
            outputGradient, output: activation == .identity ? nil : output,
            activation: activation, needs: needs)
        return [pooled.detached, gradients.input, gradients.weight, gradients.bias]
    }

    @Test(arguments: cases)
    func matchesConvolutionThenPooling(_ c: Case) throws {
        let batch = c.input[0]
        for backend in [ConvolutionBackend.im2col, .oneDNN] {
            for (activation, bias) in [(FusedActivation.relu, true), (.identity, false)] {
                for parts in [[0..<batch], [0..<1, 1..<batch]] {
                    let reference = try passes(
                        c, backend: backend, activation: activation, bias: bias, parts: parts,
                        fused: false)
                    let fused = try passes(
                        c, backend: backend, activation: activation, bias: bias, parts: parts,
                        fused: true)
                    for (index, (expected, actual)) in zip(reference, fused).enumerated() {
                        #expect((expected == nil) == (actual == nil))
                        guard let expected, let actual else { continue }
                        #expect(expected.shape == actual.shape, "\(c) \(backend) #\(index)")
                        if index == 0 {  // the pooled values: the same bits
                            #expect(actual.scalars == expected.scalars, "\(c) \(backend)")
                        } else {
                            expectClose(actual.scalars, expected.scalars, tolerance: 1e-5)
                        }
                    }
                }
            }
        }
    }

    /// With AVX-512, oneDNN keeps the CNN's second layer nChw16c, and the pooling reads its
    /// output and writes its gradient in that layout (no reorders): the equality above then
    /// covers the blocked kernels on the oneDNN path.
    @Test func theSecondLayerIsPooledInOneDNNsBlockedLayout() throws {
        guard VectorKernels.availableLevels.contains(.avx512) else { return }
        let c = Self.cases[3]
        _ = try passes(
            c, backend: .oneDNN, activation: .relu, bias: true, parts: [0..<3], fused: true)
        let geometry = try WindowGeometry(
            input: c.input, kernel: 3, stride: 1, padding: c.padding, dilation: 1,
            operation: "test")
        let made = try #require(
            DNNLConvolution.existing(
                DNNLConvolution.Key(
                    geometry: geometry, batch: 3, outputs: c.outputs, hasBias: true, relu: true,
                    threads: 1)))
        #expect(made.writesBlockedOutput && made.readsBlockedGradient)
    }

    /// When oneDNN fails to run (a blocked-layout shape: 32 → 64), the fused operation falls
    /// back to im2col + sgemm with the same pooling: the same results as im2col throughout.
    @Test func fallsBackToIm2colWhenOneDNNFails() throws {
        let c = Case(input: [2, 32, 6, 6], outputs: 64, padding: 0)
        let geometry = try WindowGeometry(
            input: c.input, kernel: 3, stride: 1, padding: 0, dilation: 1, operation: "test")
        let key = DNNLConvolution.Key(
            geometry: geometry, batch: 2, outputs: 64, hasBias: true, relu: true, threads: 1)
        DNNLConvolution.injectedFailures.withLock { $0[key] = .execution }
        defer { DNNLConvolution.injectedFailures.withLock { $0[key] = nil } }
        let expected = try passes(
            c, backend: .im2col, activation: .relu, bias: true, parts: [0..<2], fused: true)
        let actual = try passes(
            c, backend: .oneDNN, activation: .relu, bias: true, parts: [0..<2], fused: true)
        for (e, a) in zip(expected, actual) {
            let e = try #require(e)
            let a = try #require(a)
            #expect(e.shape == a.shape)
            expectClose(a.scalars, e.scalars, tolerance: 1e-6)
        }
        let made = try #require(DNNLConvolution.existing(key))
        #expect(made.failures.load(ordering: .relaxed) == 2)
    }

    @Test func thePublicOperationEqualsConvolutionThenPooling() throws {
        let x = try sample([2, 3, 9, 8], seed: 611).requiringGradient()
        let w = try sample([4, 3, 3, 3], seed: 612).requiringGradient()
        let b = try sample([4], seed: 613).requiringGradient()
        for activation in [FusedActivation.relu, .identity, .tanh] {
            let fused = try x.conv2dMaxPool2x2(weight: w, bias: b, activation: activation)
            let reference = try x.conv2d(weight: w, bias: b, activation: activation)
                .maxPool2d(kernel: 2)
            #expect(fused.shape == [2, 4, 3, 3])
            #expect(fused.scalars == reference.scalars, "\(activation)")
            let seed = try sample(fused.shape, seed: 614)
            let expected = try reference.gradients(at: [x, w, b], seed: seed)
            let actual = try fused.gradients(at: [x, w, b], seed: seed)
            for (e, a) in zip(expected, actual) {
                #expect(e.shape == a.shape)
                expectClose(a.scalars, e.scalars, tolerance: 1e-5)
            }
        }
    }

    @Test func tooSmallAnOutputFailsAsPoolingWould() throws {
        // A 1×1 convolution output cannot be pooled 2×2: the same error as the two operations.
        let x = try sample([1, 1, 3, 3], seed: 621)
        let w = try sample([2, 1, 3, 3], seed: 622)
        #expect(throws: TensorError.self) { try x.conv2dMaxPool2x2(weight: w) }
        #expect(throws: TensorError.self) { try x.conv2d(weight: w).maxPool2d(kernel: 2) }
        #expect(throws: TensorError.self) {
            try x.conv2dMaxPool2x2(weight: try sample([2, 2, 3, 3], seed: 623))
        }
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        let x = try distinctSample([1, 2, 6, 6], seed: 631)
        let w = try sample([3, 2, 3, 3], seed: 632)
        let b = try sample([3], seed: 633)
        try checkGradients(at: [x, w, b]) { inputs in
            try inputs[0].conv2dMaxPool2x2(weight: inputs[1], bias: inputs[2])
        }
    }
}
