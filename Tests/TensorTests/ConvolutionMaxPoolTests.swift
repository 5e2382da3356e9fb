import Testing

@testable import Tensor

/// `conv2dMaxPool2x2`, the convolution and its 2×2 max pooling as one operation, against the two
/// operations run one after the other: the same pooled values, and the same input, weight and
/// bias gradients, on each backend (im2col + sgemm and oneDNN), with the batch in one part and in
/// two (as two threads split it), ReLU and none, with and without a bias, on odd output sizes
/// (a last row and column no window covers), batches longer than one oneDNN run, and the CNN's
/// two layers.
@Suite struct ConvolutionMaxPoolTests {
    typealias Case = ConvolutionCase

    static let cases = [
        Case(input: [3, 2, 8, 9], outputs: 5, padding: 0),  // output 6×7
        Case(input: [2, 3, 7, 7], outputs: 4, padding: 1),  // output 7×7
        Case(input: [2, 1, 28, 28], outputs: 32, padding: 0),  // the CNN's first layer
        Case(input: [3, 32, 13, 13], outputs: 64, padding: 0),  // its second (11×11)
        Case(input: [37, 16, 7, 7], outputs: 8, padding: 0),  // runs of 32 and 5 images
        Case(input: [2, 16, 8, 8], outputs: 20, padding: 0),  // 20 channels: oneDNN reorders
    ]

    /// The results of `passes` and the fused pooling it ran (nil for the two operations).
    struct Passes {
        let tensors: [Tensor?]
        let pooling: ConvolutionPooling?
    }

    /// Pooled output and input, weight, bias gradients: fused when `fused`, else the
    /// convolution, `maxPool2d` and their backward passes one after the other. On oneDNN
    /// (unless `fallback`), expects its primitives to have run both passes.
    func passes(
        _ c: Case, backend: ConvolutionBackend, activation: FusedActivation, bias useBias: Bool,
        parts: [Range<Int>], fused: Bool, input given: Tensor? = nil,
        weight givenWeight: Tensor? = nil,
        fallback: Bool = false
    ) throws -> Passes {
        let input = try given ?? sample(c.input, seed: 601)
        let weight = try givenWeight ?? sample([c.outputs, c.input[1], 3, 3], seed: 602)
        let bias = useBias ? try sample([c.outputs], seed: 603) : nil
        let geometry = try c.geometry()
        let convolution = Convolution(
            geometry: geometry, outputs: c.outputs, input: input, weight: weight,
            hasBias: useBias, parts: parts, backend: backend)
        let pooledShape = [
            c.input[0], c.outputs, geometry.outputHeight / 2, geometry.outputWidth / 2,
        ]
        let upstream = try sample(pooledShape, seed: 604)
        let needs = (input: true, weight: true, bias: useBias)
        let keys = try c.dnnlKeys(parts: parts, hasBias: useBias, relu: activation == .relu)
        let before = keys.map(dnnlRuns)
        defer {
            if backend == .oneDNN, !fallback {
                expectDNNLRan(keys, since: before, "\(c) fused \(fused)")
            }
        }
        if fused {
            let pooling = try ConvolutionPooling(
                convolutionShape: [
                    c.input[0], c.outputs, geometry.outputHeight, geometry.outputWidth,
                ], afterRelu: activation == .relu)
            let pooled = try convolution.forward(
                bias: bias, activation: activation, pooling: pooling)
            let gradients = try convolution.backward(
                upstream, output: nil, activation: activation, needs: needs, pooling: pooling)
            return Passes(
                tensors: [pooled, gradients.input, gradients.weight, gradients.bias],
                pooling: pooling)
        }
        let output = try convolution.forward(bias: bias, activation: activation)
        let leaf = output.requiringGradient()
        let pooled = try leaf.maxPool2d(kernel: 2)
        let outputGradient = try pooled.gradients(at: [leaf], seed: upstream)[0]
        let gradients = try convolution.backward(
            outputGradient, output: activation == .identity ? nil : output,
            activation: activation, needs: needs)
        return Passes(
            tensors: [pooled.detached, gradients.input, gradients.weight, gradients.bias],
            pooling: nil)
    }

    /// Expects `actual` to be `expected`: the pooled values (#0) bit for bit, NaN where it is
    /// NaN, the gradients within `tolerance`.
    func expectSame(
        _ expected: [Tensor?], _ actual: [Tensor?], tolerance: Float = 1e-5, _ comment: String
    ) {
        for (index, (expected, actual)) in zip(expected, actual).enumerated() {
            #expect((expected == nil) == (actual == nil), "\(comment) #\(index)")
            guard let expected, let actual else { continue }
            #expect(expected.shape == actual.shape, "\(comment) #\(index)")
            let (e, a) = (expected.scalars, actual.scalars)
            #expect(e.map(\.isNaN) == a.map(\.isNaN), "NaNs \(comment) #\(index)")
            let finite = e.indices.filter { !e[$0].isNaN && !a[$0].isNaN }
            if index == 0 {
                #expect(finite.map { e[$0] } == finite.map { a[$0] }, "\(comment)")
            } else {
                expectClose(finite.map { a[$0] }, finite.map { e[$0] }, tolerance: tolerance)
            }
        }
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
                    expectSame(reference.tensors, fused.tensors, "\(c) \(backend)")
                }
            }
        }
    }

    /// With AVX-512, oneDNN keeps the CNN's second layer nChw16c, and the pooling reads its
    /// output and writes its gradient in that layout (no reorders): the blocked kernels ran
    /// for every image, and the results equal the two operations'. With 20 channels (not a
    /// multiple of 16) oneDNN's output is reordered and the plain kernels run instead.
    @Test(.enabled(if: VectorKernels.availableLevels.contains(.avx512)))
    func theSecondLayerIsPooledInOneDNNsBlockedLayout() throws {
        for (c, blocked) in [(Self.cases[3], true), (Self.cases[5], false)] {
            let batch = c.input[0]
            let reference = try passes(
                c, backend: .oneDNN, activation: .relu, bias: true, parts: [0..<batch],
                fused: false)
            let run = try passes(
                c, backend: .oneDNN, activation: .relu, bias: true, parts: [0..<batch],
                fused: true)
            expectSame(reference.tensors, run.tensors, "\(c)")
            let pooling = try #require(run.pooling)
            let counted = (
                pooling.blockedRuns.pooled.load(ordering: .relaxed),
                pooling.blockedRuns.scattered.load(ordering: .relaxed)
            )
            #expect(counted == (blocked ? (batch, batch) : (0, 0)), "\(c)")
            let key = try #require(
                c.dnnlKeys(parts: [0..<batch], hasBias: true, relu: true).first)
            let made = try #require(DNNLConvolution.existing(key))
            #expect(made.writesBlockedOutput == blocked && made.readsBlockedGradient == blocked)
        }
    }

    /// When oneDNN fails to run (a blocked-layout shape: 32 → 64), the fused operation falls
    /// back to im2col + sgemm with the same pooling: the same results as the fused and the
    /// unfused operations on im2col.
    @Test func fallsBackToIm2colWhenOneDNNFails() throws {
        let c = Case(input: [2, 32, 6, 6], outputs: 64, padding: 0)
        let key = DNNLConvolution.Key(
            geometry: try c.geometry(), batch: 2, outputs: 64, hasBias: true, relu: true,
            threads: 1)
        DNNLConvolution.injectedFailures.withLock { $0[key] = .execution }
        defer { DNNLConvolution.injectedFailures.withLock { $0[key] = nil } }
        let unfused = try passes(
            c, backend: .im2col, activation: .relu, bias: true, parts: [0..<2], fused: false)
        let expected = try passes(
            c, backend: .im2col, activation: .relu, bias: true, parts: [0..<2], fused: true)
        let actual = try passes(
            c, backend: .oneDNN, activation: .relu, bias: true, parts: [0..<2], fused: true,
            fallback: true)
        expectSame(expected.tensors, actual.tensors, tolerance: 1e-6, "fused")
        expectSame(unfused.tensors, actual.tensors, "unfused")
        let made = try #require(DNNLConvolution.existing(key))
        #expect(made.failures.load(ordering: .relaxed) == 2)
    }

    /// Ties (a zero weight: every output is its channel's bias) and NaN inputs (the windows
    /// they reach pool to NaN), through both backends, ReLU and none, 16 and 20 channels:
    /// the fused operation gives the two operations' values, NaNs and gradients.
    @Test func tiesAndNaNsMatchConvolutionThenPooling() throws {
        for c in [Self.cases[4], Self.cases[5]] {
            let zero = try Tensor.zeros([c.outputs, c.input[1], 3, 3])
            var values = try sample(c.input, seed: 641).scalars
            for position in stride(from: 5, to: values.count, by: 97) { values[position] = .nan }
            let withNaNs = try Tensor(values, shape: c.input)
            for backend in [ConvolutionBackend.im2col, .oneDNN] {
                for activation in [FusedActivation.relu, .identity] {
                    for (input, weight) in [(nil, zero), (withNaNs, nil)] {
                        let reference = try passes(
                            c, backend: backend, activation: activation, bias: true,
                            parts: [0..<c.input[0]], fused: false, input: input, weight: weight)
                        let fused = try passes(
                            c, backend: backend, activation: activation, bias: true,
                            parts: [0..<c.input[0]], fused: true, input: input, weight: weight)
                        expectSame(
                            reference.tensors, fused.tensors, "\(c) \(backend) \(activation)")
                    }
                }
            }
        }
    }

    /// A NaN input through oneDNN's fused ReLU: the fused operation gives the unfused values and
    /// gradients. oneDNN's post-op (max(x, 0)) leaves no NaN here, so no pooled value is NaN;
    /// were one to pass, the codes take ReLU's derivative from the window's winning element as
    /// the unfused path does (`MaxPoolKernelTests.argmaxAndScatterEqualTheSwiftReference…`).
    @Test func aNaNThroughOneDNNsReluRoutesAsUnfused() throws {
        let c = Case(input: [1, 16, 6, 6], outputs: 16, padding: 1)
        var values = try sample(c.input, seed: 651).scalars
        values[2 * 36 + 14] = .nan  // channel 2, (2, 2): every output near it is NaN
        let input = try Tensor(values, shape: c.input)
        let reference = try passes(
            c, backend: .oneDNN, activation: .relu, bias: true, parts: [0..<1], fused: false,
            input: input)
        let fused = try passes(
            c, backend: .oneDNN, activation: .relu, bias: true, parts: [0..<1], fused: true,
            input: input)
        expectSame(reference.tensors, fused.tensors, "NaN through oneDNN's ReLU")
        let pooled = try #require(fused.tensors[0]).scalars
        #expect(!pooled.contains { $0.isNaN }, "oneDNN's ReLU let a NaN through")
        // The NaN did reach the convolution: without the ReLU the pooled output has NaNs.
        let identity = try passes(
            c, backend: .oneDNN, activation: .identity, bias: true, parts: [0..<1], fused: true,
            input: input)
        #expect(try #require(identity.tensors[0]).scalars.contains { $0.isNaN })
    }

    /// The nChw16c kernels' lane offsets are 32-bit: planes past 143 M pooled floats (and
    /// the CNN's own, 5 × 5, as a contrast) are sent the plain way.
    @Test func planesTooLargeForTheBlockedKernelsTakeThePlainPath() throws {
        let limit = Int(Int32.max) / 15
        #expect(ConvolutionPooling.blockedKernelsFit(pooledPlane: limit))
        #expect(!ConvolutionPooling.blockedKernelsFit(pooledPlane: limit + 1))
        #expect(!ConvolutionPooling.blockedKernelsFit(pooledPlane: .max))
        let pooling = try ConvolutionPooling(convolutionShape: [1, 64, 11, 11], afterRelu: true)
        #expect(pooling.fitsBlockedKernels)
    }

    @Test func convolvedRejectsActivationsThePoolingCannotCarry() throws {
        let x = try sample([1, 2, 6, 6], seed: 661)
        let w = try sample([3, 2, 3, 3], seed: 662)
        for activation in [FusedActivation.tanh, .sigmoid, .leakyRelu(slope: 0.1)] {
            #expect(throws: TensorError.self) {
                try x.convolved(
                    weight: w, bias: nil, stride: 1, padding: 0, dilation: 1,
                    activation: activation, pooling: .maxPool2x2)
            }
        }
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

    /// With ReLU: the gradients at a point away from ReLU's kink and the pooling's ties (the
    /// first seed whose convolution outputs are all at least 0.1 from 0, and whose windows'
    /// maxima lead the others by 0.1, more than the finite differences' step moves them).
    @Test func reluGradientsMatchFiniteDifferences() throws {
        func kinkFree(_ seed: UInt64) throws -> [Tensor]? {
            let x = try distinctSample([1, 2, 6, 6], seed: seed)
            let w = try sample([3, 2, 3, 3], seed: seed + 1)
            let b = try sample([3], seed: seed + 2)
            let y = try x.conv2d(weight: w, bias: b).scalars  // [1, 3, 4, 4]
            guard y.allSatisfy({ abs($0) > 0.1 }) else { return nil }
            for channel in 0..<3 {
                for (oy, ox) in [(0, 0), (0, 2), (2, 0), (2, 2)] {
                    let top = channel * 16 + oy * 4 + ox
                    let window = [y[top], y[top + 1], y[top + 4], y[top + 5]].sorted(by: >)
                    guard window[0] - window[1] > 0.1 else { return nil }
                }
            }
            return [x, w, b]
        }
        var found: [Tensor]?
        for attempt in 0..<300 where found == nil {
            found = try kinkFree(680 + 3 * UInt64(attempt))
        }
        let points = try #require(found)
        let outputs = try points[0].conv2d(weight: points[1], bias: points[2]).scalars
        #expect(outputs.contains { $0 > 0 } && outputs.contains { $0 < 0 })
        try checkGradients(at: points) { inputs in
            try inputs[0].conv2dMaxPool2x2(weight: inputs[1], bias: inputs[2], activation: .relu)
        }
    }
}
