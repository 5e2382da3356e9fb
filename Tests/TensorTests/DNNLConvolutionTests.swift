import Testing

@testable import Tensor

/// oneDNN's convolution primitives against the im2col + sgemm reference: the same output, input
/// gradient, weight and bias gradients, on shapes with strides, padding, dilation, odd sizes,
/// output channels that are not a multiple of the vector width, and batch 1.
@Suite struct DNNLConvolutionTests {
    typealias Case = ConvolutionCase

    static let cases = [
        Case(input: [1, 1, 7, 5], outputs: 3, kernel: 3, stride: 1, padding: 0, dilation: 1),
        Case(input: [3, 5, 9, 8], outputs: 17, kernel: 3, stride: 2, padding: 1, dilation: 1),
        Case(
            input: [2, 3, 10, 11], outputs: 4, kernel: Size2D(height: 2, width: 3),
            stride: Size2D(height: 1, width: 2), padding: Size2D(height: 2, width: 0),
            dilation: Size2D(height: 2, width: 1)),
        Case(input: [4, 16, 6, 6], outputs: 32, kernel: 1, stride: 1, padding: 0, dilation: 1),
        Case(input: [2, 2, 10, 10], outputs: 5, kernel: 3, stride: 3, padding: 0, dilation: 1),
        Case(input: [1, 32, 13, 13], outputs: 64, kernel: 3, stride: 1, padding: 0, dilation: 1),
        // More images than one execution takes: runs of 32 and the rest, gradients added up.
        Case(input: [37, 16, 5, 5], outputs: 8, kernel: 3, stride: 1, padding: 1, dilation: 1),
    ]

    static func runs(_ made: DNNLConvolution) -> (forward: Int, backward: Int) {
        (made.forwardRuns.load(ordering: .relaxed), made.backwardRuns.load(ordering: .relaxed))
    }

    /// Both passes of one backend; `parts` splits the batch as threads would.
    func passes(
        _ c: Case, backend: ConvolutionBackend, activation: FusedActivation, bias useBias: Bool,
        parts: [Range<Int>]
    ) throws -> [Tensor?] {
        let input = try sample(c.input, seed: 501)
        let weight = try sample(
            [c.outputs, c.input[1], c.kernel.height, c.kernel.width], seed: 502)
        let bias = useBias ? try sample([c.outputs], seed: 503) : nil
        let geometry = try c.geometry()
        let convolution = Convolution(
            geometry: geometry, outputs: c.outputs, input: input, weight: weight,
            hasBias: useBias, parts: parts, backend: backend)
        let keys = try c.dnnlKeys(parts: parts, hasBias: useBias, relu: activation == .relu)
        let before = keys.map(dnnlRuns)
        let output = try convolution.forward(bias: bias, activation: activation)
        let upstream = try sample(output.shape, seed: 504)
        let gradients = try convolution.backward(
            upstream, output: output, activation: activation, needs: (true, true, useBias))
        if backend == .oneDNN {
            // The oneDNN path ran: each part's primitives ran forward and backward once more.
            expectDNNLRan(keys, since: before, "\(c)")
        }
        return [output, gradients.input, gradients.weight, gradients.bias]
    }

    @Test(arguments: cases)
    func matchesTheIm2colPath(_ c: Case) throws {
        let activations: [(FusedActivation, Bool)] = [
            (.relu, true), (.identity, false), (.tanh, true),
        ]
        for (activation, bias) in activations {
            for parts in [[0..<c.input[0]], [0..<1, 1..<c.input[0]]]
            where parts.allSatisfy({ !$0.isEmpty }) {
                let reference = try passes(
                    c, backend: .im2col, activation: activation, bias: bias, parts: parts)
                let dnnl = try passes(
                    c, backend: .oneDNN, activation: activation, bias: bias, parts: parts)
                for (expected, actual) in zip(reference, dnnl) {
                    #expect((expected == nil) == (actual == nil))
                    guard let expected, let actual else { continue }
                    #expect(expected.shape == actual.shape, "\(c)")
                    expectClose(actual.scalars, expected.scalars, tolerance: 1e-4)
                }
            }
        }
    }

    @Test func onlyTheWantedGradients() throws {
        let c = Self.cases[1]
        let input = try sample(c.input, seed: 511)
        let weight = try sample([c.outputs, c.input[1], 3, 3], seed: 512)
        let geometry = try WindowGeometry(
            input: c.input, kernel: 3, stride: c.stride, padding: c.padding, dilation: 1,
            operation: "test")
        for backend in ConvolutionBackend.allCases {
            let convolution = Convolution(
                geometry: geometry, outputs: c.outputs, input: input, weight: weight,
                hasBias: true, backend: backend)
            let output = try convolution.forward(
                bias: try sample([c.outputs], seed: 513), activation: .identity)
            let gradients = try convolution.backward(
                try sample(output.shape, seed: 514), output: nil, activation: .identity,
                needs: (false, true, false))
            #expect(gradients.input == nil && gradients.bias == nil)
            #expect(gradients.weight?.shape == weight.shape)
        }
    }

    @Test func aShapeOneDNNRefusesHasNoPrimitive() {
        // A negative size: oneDNN refuses the descriptor, `cached` logs one line and returns
        // nil, then remembers the refusal (the caller runs im2col + sgemm).
        let key = DNNLConvolution.Key(
            batch: 1, channels: 2, height: 5, width: -5, outputs: 3, kernel: 3, stride: 1,
            padding: 0, dilation: 1, outputHeight: 3, outputWidth: 3, hasBias: true, relu: false,
            threads: 1)
        #expect(DNNLConvolution.cached(key) == nil)
        #expect(DNNLConvolution.cached(key) == nil)
        #expect(DNNLConvolution.existing(key) == nil)
    }

    @Test func theOpenMPThreadSetterIsFound() {
        // libdnnl brings libgomp in; without its omp_set_num_threads each execution would
        // start an OpenMP team of a thread per core.
        #expect(DNNLConvolution.setsOpenMPThreads)
    }

    @Test func everyPrimitiveTakesItsScratchpadFromTheWorkspace() throws {
        // Blocked layouts (17 outputs), so reorders exist besides the convolutions: a
        // primitive with its own scratchpad may only run on the thread that created it.
        let key = DNNLConvolution.Key(
            batch: 2, channels: 5, height: 9, width: 8, outputs: 17, kernel: 3, stride: 2,
            padding: 1, dilation: 1, outputHeight: 5, outputWidth: 4, hasBias: true, relu: true,
            threads: 1)
        let made = try #require(DNNLConvolution.cached(key))
        #expect(made.workspaceBytes(.backward) != nil)
        #expect(!made.implementations.contains(""))
        #expect(made.usesUserScratchpads)
    }

    @Test func aFailureThatMayPassIsNotRememberedARefusalIs() throws {
        let key = DNNLConvolution.Key(
            batch: 1, channels: 3, height: 6, width: 6, outputs: 2, kernel: 3, stride: 1,
            padding: 0, dilation: 1, outputHeight: 4, outputWidth: 4, hasBias: false,
            relu: false, threads: 1)
        // Out of memory (1): nil now, created once memory is back.
        DNNLConvolution.injectedFailures.withLock { $0[key] = .creation(status: 1) }
        #expect(DNNLConvolution.cached(key) == nil)
        DNNLConvolution.injectedFailures.withLock { $0[key] = nil }
        #expect(DNNLConvolution.cached(key) != nil)
        // Unimplemented (3): remembered, not asked again.
        let refused = DNNLConvolution.Key(
            batch: 1, channels: 3, height: 6, width: 6, outputs: 2, kernel: 3, stride: 1,
            padding: 0, dilation: 1, outputHeight: 4, outputWidth: 4, hasBias: true, relu: false,
            threads: 1)
        DNNLConvolution.injectedFailures.withLock { $0[refused] = .creation(status: 3) }
        #expect(DNNLConvolution.cached(refused) == nil)
        DNNLConvolution.injectedFailures.withLock { $0[refused] = nil }
        #expect(DNNLConvolution.cached(refused) == nil)
    }

    /// `Convolution`'s passes on `.oneDNN` when oneDNN fails (creating the primitives, or
    /// running them): the im2col + sgemm results all the same.
    @Test(arguments: [
        DNNLConvolution.InjectedFailure.execution, .creation(status: 1),
        .creation(status: 3),
    ])
    func convolutionFallsBackToIm2colWhenOneDNNFails(
        _ failure: DNNLConvolution.InjectedFailure
    ) throws {
        // A shape of its own per failure (channels), so the injections touch no other test.
        let channels =
            switch failure {
            case .execution: 6
            case .creation(let status): 6 + Int(status)
            }
        let shape = [3, channels, 7, 7]
        let input = try sample(shape, seed: 531)
        let weight = try sample([7, channels, 3, 3], seed: 532)
        let bias = try sample([7], seed: 533)
        let geometry = try WindowGeometry(
            input: shape, kernel: 3, stride: 1, padding: 1, dilation: 1, operation: "test")
        let key = DNNLConvolution.Key(
            geometry: geometry, batch: 3, outputs: 7, hasBias: true, relu: true, threads: 1)
        DNNLConvolution.injectedFailures.withLock { $0[key] = failure }
        defer { DNNLConvolution.injectedFailures.withLock { $0[key] = nil } }
        var results: [[Tensor?]] = []
        for backend in [ConvolutionBackend.im2col, .oneDNN] {
            let convolution = Convolution(
                geometry: geometry, outputs: 7, input: input, weight: weight, hasBias: true,
                parts: [0..<3], backend: backend)
            let output = try convolution.forward(bias: bias, activation: .relu)
            let gradients = try convolution.backward(
                try sample(output.shape, seed: 534), output: output, activation: .relu,
                needs: (true, true, true))
            results.append([output, gradients.input, gradients.weight, gradients.bias])
        }
        for (expected, actual) in zip(results[0], results[1]) {
            let expected = try #require(expected)
            let actual = try #require(actual)
            #expect(expected.shape == actual.shape)
            expectClose(actual.scalars, expected.scalars, tolerance: 1e-6)
        }
        if case .execution = failure {
            // The primitives exist and were tried (forward and backward), and never ran.
            let made = try #require(DNNLConvolution.existing(key))
            #expect(made.failures.load(ordering: .relaxed) == 2)
            #expect(Self.runs(made) == (0, 0))
        } else {
            #expect(DNNLConvolution.existing(key) == nil)
        }
    }

    /// `.automatic` runs a pass on oneDNN only from its window size up (64 inputs forward, 128
    /// backward), where oneDNN was measured faster.
    @Test(arguments: [(1, false, false), (8, true, false), (16, true, true)])
    func automaticPicksByWindowSize(channels: Int, forward: Bool, backward: Bool) throws {
        let shape = [2, channels, 8, 8]
        let input = try sample(shape, seed: 521)
        let weight = try sample([5, channels, 3, 3], seed: 522)
        let geometry = try WindowGeometry(
            input: shape, kernel: 3, stride: 1, padding: 1, dilation: 1, operation: "test")
        let convolution = Convolution(
            geometry: geometry, outputs: 5, input: input, weight: weight, hasBias: false,
            parts: [0..<2], backend: .automatic)
        let key = DNNLConvolution.Key(
            geometry: geometry, batch: 2, outputs: 5, hasBias: false, relu: true, threads: 1)
        let before = DNNLConvolution.existing(key).map(Self.runs) ?? (forward: 0, backward: 0)
        let output = try convolution.forward(bias: nil, activation: .relu)
        _ = try convolution.backward(
            try sample(output.shape, seed: 523), output: output, activation: .relu,
            needs: (true, true, false))
        let after = DNNLConvolution.existing(key).map(Self.runs) ?? (forward: 0, backward: 0)
        #expect((after.forward > before.forward) == forward)
        #expect((after.backward > before.backward) == backward)
    }
}
