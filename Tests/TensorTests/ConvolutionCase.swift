import Testing

@testable import Tensor

/// A convolution test shape (the images `[N, C, H, W]`, the output channels and the window),
/// shared by the suites that compare convolution paths.
struct ConvolutionCase: Sendable, CustomStringConvertible {
    let input: [Int]
    let outputs: Int
    var kernel: Size2D = 3
    var stride: Size2D = 1
    let padding: Size2D
    var dilation: Size2D = 1

    var description: String {
        "\(input) → \(outputs), kernel \(kernel), stride \(stride), padding \(padding), "
            + "dilation \(dilation)"
    }

    /// The convolution's windows over `input`.
    func geometry() throws -> WindowGeometry {
        try WindowGeometry(
            input: input, kernel: kernel, stride: stride, padding: padding, dilation: dilation,
            operation: "test")
    }

    /// The keys of the oneDNN primitives a convolution split into `parts` runs: one per run
    /// length (runs of `imagesPerExecution` images and the shorter rest of each part).
    func dnnlKeys(parts: [Range<Int>], hasBias: Bool, relu: Bool) throws -> [DNNLConvolution.Key] {
        let geometry = try geometry()
        let run = DNNLConvolution.imagesPerExecution
        let lengths = Set(
            parts.flatMap { part in
                Swift.stride(from: part.lowerBound, to: part.upperBound, by: run).map {
                    min(run, part.upperBound - $0)
                }
            })
        return lengths.map { length in
            DNNLConvolution.Key(
                geometry: geometry, batch: length, outputs: outputs, hasBias: hasBias,
                relu: relu, threads: 1)
        }
    }
}

/// How many times oneDNN's forward and backward primitives for `key` ran so far (0 when none
/// exists yet).
func dnnlRuns(_ key: DNNLConvolution.Key) -> (forward: Int, backward: Int) {
    DNNLConvolution.existing(key).map {
        ($0.forwardRuns.load(ordering: .relaxed), $0.backwardRuns.load(ordering: .relaxed))
    } ?? (0, 0)
}

/// Expects each of `keys`' primitives to exist and to have run forward and backward since
/// `before` (`dnnlRuns` of each key, in order): the oneDNN path ran, not the fallback.
func expectDNNLRan(
    _ keys: [DNNLConvolution.Key], since before: [(forward: Int, backward: Int)],
    _ comment: String
) {
    for (key, (forward, backward)) in zip(keys, before) {
        #expect(DNNLConvolution.existing(key) != nil, "no primitive: \(comment)")
        let after = dnnlRuns(key)
        #expect(after.forward > forward && after.backward > backward, "\(comment)")
    }
}
