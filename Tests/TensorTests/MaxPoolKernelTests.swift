import CVectorKernels
import Testing

@testable import Tensor

/// The C 2×2 max pooling (`tb_max_pool_2x2` and its backward), forced in turn on each level this
/// machine runs, against the Swift loops it replaced, bit for bit, on random planes of even and
/// odd sizes whose output rows are shorter and longer than a vector (not multiples of 8 or 16),
/// with ties, NaN and −0 in the windows.
@Suite(.serialized)
struct MaxPoolKernelTests {
    /// (height, width) of the planes: the CNN's 26 × 26 and 11 × 11 among them.
    static let sizes = [
        (2, 2), (3, 3), (4, 6), (26, 26), (11, 11), (5, 33), (4, 34), (6, 64), (3, 65), (2, 70),
    ]

    private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    /// Random values from a few levels (so windows hold ties), with NaN, −0 and +0 sprinkled in.
    private func plane(_ count: Int, seed: UInt64) -> [Float] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { index in
            switch index % 13 {
            case 3: .nan
            case 5: -0.0
            case 8: 0
            default: Float(Int.random(in: -3...3, using: &generator)) * 0.5
            }
        }
    }

    @Test func forwardAndBackwardEqualTheSwiftLoopsOnEveryLevel() {
        let saved = VectorKernels.level
        defer { VectorKernels.level = saved }
        for (index, (height, width)) in Self.sizes.enumerated() {
            let (outputHeight, outputWidth) = (height / 2, width / 2)
            let input = plane(height * width, seed: UInt64(index))
            var expected = [Float](repeating: 7, count: outputHeight * outputWidth)
            Self.referenceForward(input, width, &expected, outputHeight, outputWidth)
            var generator = RandomGenerator(seed: UInt64(50 + index))
            let gradient = (0..<expected.count).map { position in
                position % 7 == 2 ? -1.5 : Float.random(in: -2...2, using: &generator)
            }
            var expectedTarget = [Float](repeating: 7, count: input.count)
            Self.referenceBackward(
                input, width, expected, gradient, &expectedTarget, outputHeight, outputWidth)
            for level in VectorKernels.availableLevels {
                VectorKernels.level = level
                var output = [Float](repeating: 7, count: expected.count)
                tb_max_pool_2x2(input, width, &output, outputHeight, outputWidth)
                #expect(bits(output) == bits(expected), "forward \(level), \(height)×\(width)")
                var target = [Float](repeating: 7, count: input.count)
                tb_max_pool_2x2_backward(
                    input, width, expected, gradient, &target, outputHeight, outputWidth)
                #expect(
                    bits(target) == bits(expectedTarget), "backward \(level), \(height)×\(width)")
            }
        }
    }

    /// `tb_max_pool_2x2_argmax` gives tb_max_pool_2x2's maxima and the codes of the Swift
    /// reference below, and `tb_max_pool_2x2_scatter` from those codes the values
    /// tb_max_pool_2x2_backward gives (exact zeros where it gives ±0), on every level; with
    /// `positive_only`, windows whose maximum is not above 0 get code 4 and no gradient.
    @Test func argmaxAndScatterEqualTheSwiftReferenceOnEveryLevel() {
        let saved = VectorKernels.level
        defer { VectorKernels.level = saved }
        for (index, (height, width)) in Self.sizes.enumerated() {
            let (outputHeight, outputWidth) = (height / 2, width / 2)
            let input = plane(height * width, seed: UInt64(100 + index))
            var maxima = [Float](repeating: 7, count: outputHeight * outputWidth)
            Self.referenceForward(input, width, &maxima, outputHeight, outputWidth)
            var generator = RandomGenerator(seed: UInt64(150 + index))
            let gradient = (0..<maxima.count).map { _ in
                Float.random(in: -2...2, using: &generator)
            }
            var poolingBackward = [Float](repeating: 7, count: input.count)
            Self.referenceBackward(
                input, width, maxima, gradient, &poolingBackward, outputHeight, outputWidth)
            for positiveOnly in [false, true] {
                let expectedCodes = Self.referenceCodes(
                    input, width, maxima, outputHeight, outputWidth, positiveOnly: positiveOnly)
                var expectedTarget = [Float](repeating: 7, count: input.count)
                Self.referenceScatter(
                    expectedCodes, gradient, &expectedTarget, width, outputHeight, outputWidth)
                if !positiveOnly {
                    #expect(expectedTarget == poolingBackward, "\(height)×\(width)")
                }
                for level in VectorKernels.availableLevels {
                    VectorKernels.level = level
                    var output = [Float](repeating: 7, count: maxima.count)
                    var codes = [Float](repeating: 7, count: maxima.count)
                    tb_max_pool_2x2_argmax(
                        input, width, &output, &codes, outputHeight, outputWidth,
                        positiveOnly ? 1 : 0)
                    let name = "\(level), \(height)×\(width), positive only \(positiveOnly)"
                    #expect(bits(output) == bits(maxima), "maxima \(name)")
                    #expect(codes == expectedCodes, "codes \(name)")
                    var target = [Float](repeating: 7, count: input.count)
                    tb_max_pool_2x2_scatter(
                        expectedCodes, gradient, &target, width, outputHeight, outputWidth)
                    #expect(bits(target) == bits(expectedTarget), "scatter \(name)")
                }
            }
        }
    }

    /// The nChw16c kernels (`tb_max_pool_2x2_argmax_blocked16`, `…_scatter_blocked16`, for
    /// oneDNN's blocked convolution output) give, on every level, what the plain kernels give
    /// channel by channel on the same image laid out NCHW, bit for bit: the maxima and codes,
    /// and the scattered gradient with zeros in the last row and column no window covers.
    @Test func blockedKernelsEqualThePlainOnesOnEveryLevel() {
        let saved = VectorKernels.level
        defer { VectorKernels.level = saved }
        for (index, (height, width)) in [(2, 2), (3, 5), (4, 6), (11, 11), (26, 26)].enumerated() {
            for channels in [16, 32] {
                let (outputHeight, outputWidth) = (height / 2, width / 2)
                let (plane, pooled) = (height * width, outputHeight * outputWidth)
                let input = self.plane(channels * plane, seed: UInt64(200 + index))
                var generator = RandomGenerator(seed: UInt64(250 + index))
                let gradient = (0..<channels * pooled).map { _ in
                    Float.random(in: -2...2, using: &generator)
                }
                /// The position in nChw16c of element `position` of a plain [C, H, W] image.
                func blockedIndex(_ position: Int) -> Int {
                    let (channel, pixel) = position.quotientAndRemainder(dividingBy: plane)
                    return ((channel / 16) * plane + pixel) * 16 + channel % 16
                }
                var blockedInput = [Float](repeating: 0, count: input.count)
                for position in input.indices {
                    blockedInput[blockedIndex(position)] = input[position]
                }
                for positiveOnly in [0, 1] {
                    VectorKernels.level = .scalar
                    var maxima = [Float](repeating: 7, count: channels * pooled)
                    var codes = [Float](repeating: 7, count: channels * pooled)
                    var scattered = [Float](repeating: 0, count: input.count)
                    for channel in 0..<channels {
                        let (planeRange, pooledRange) = (
                            channel * plane..<(channel + 1) * plane,
                            channel * pooled..<(channel + 1) * pooled
                        )
                        var (m, c) = (
                            [Float](repeating: 7, count: pooled),
                            [Float](repeating: 7, count: pooled)
                        )
                        tb_max_pool_2x2_argmax(
                            Array(input[planeRange]), width, &m, &c, outputHeight, outputWidth,
                            Int32(positiveOnly))
                        maxima.replaceSubrange(pooledRange, with: m)
                        codes.replaceSubrange(pooledRange, with: c)
                        var t = [Float](repeating: 0, count: plane)
                        tb_max_pool_2x2_scatter(
                            c, Array(gradient[pooledRange]), &t, width, outputHeight, outputWidth)
                        scattered.replaceSubrange(planeRange, with: t)
                    }
                    var expectedBlocked = [Float](repeating: 0, count: input.count)
                    for position in scattered.indices {
                        expectedBlocked[blockedIndex(position)] = scattered[position]
                    }
                    for level in VectorKernels.availableLevels {
                        VectorKernels.level = level
                        var output = [Float](repeating: 7, count: maxima.count)
                        var actualCodes = [Float](repeating: 7, count: maxima.count)
                        tb_max_pool_2x2_argmax_blocked16(
                            blockedInput, channels, height, width, &output, &actualCodes,
                            Int32(positiveOnly))
                        let name = "\(level), \(channels)×\(height)×\(width), \(positiveOnly)"
                        #expect(bits(output) == bits(maxima), "maxima \(name)")
                        #expect(actualCodes == codes, "codes \(name)")
                        var target = [Float](repeating: 7, count: input.count)
                        tb_max_pool_2x2_scatter_blocked16(
                            codes, gradient, &target, channels, height, width)
                        #expect(bits(target) == bits(expectedBlocked), "scatter \(name)")
                    }
                }
            }
        }
    }

    /// Which element of each 2×2 window is its first equal to the maximum (3 when none is), or
    /// 4 when `positiveOnly` and the maximum is not above 0.
    static func referenceCodes(
        _ input: [Float], _ inputWidth: Int, _ maxima: [Float], _ outputHeight: Int,
        _ outputWidth: Int, positiveOnly: Bool
    ) -> [Float] {
        var codes: [Float] = []
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth {
                let maximum = maxima[oy * outputWidth + ox]
                let top = 2 * oy * inputWidth + 2 * ox
                let window = [input[top], input[top + 1], input[top + inputWidth]]
                var code = Float(window.firstIndex(of: maximum) ?? 3)
                if positiveOnly, !(maximum > 0) { code = 4 }
                codes.append(code)
            }
        }
        return codes
    }

    /// The element each code names gets the gradient, the other three +0.
    static func referenceScatter(
        _ codes: [Float], _ gradient: [Float], _ target: inout [Float], _ inputWidth: Int,
        _ outputHeight: Int, _ outputWidth: Int
    ) {
        for oy in 0..<outputHeight {
            for ox in 0..<outputWidth {
                let index = oy * outputWidth + ox
                let top = 2 * oy * inputWidth + 2 * ox
                let positions = [top, top + 1, top + inputWidth, top + inputWidth + 1]
                for (k, position) in positions.enumerated() {
                    target[position] = codes[index] == Float(k) ? gradient[index] : 0
                }
            }
        }
    }

    /// The Swift loop `WindowGeometry.maximumOfDisjointWindows` ran for 2×2 windows.
    static func referenceForward(
        _ input: [Float], _ inputWidth: Int, _ output: inout [Float], _ outputHeight: Int,
        _ outputWidth: Int
    ) {
        for oy in 0..<outputHeight {
            let top = 2 * oy * inputWidth
            let bottom = top + inputWidth
            for ox in 0..<outputWidth {
                let left = 2 * ox
                let upper = Swift.max(input[top + left], input[top + left + 1])
                let lower = Swift.max(input[bottom + left], input[bottom + left + 1])
                output[oy * outputWidth + ox] = Swift.max(upper, lower)
            }
        }
    }

    /// The Swift loop `WindowGeometry.scatterToFirstMaximum` ran for 2×2 windows.
    static func referenceBackward(
        _ input: [Float], _ inputWidth: Int, _ output: [Float], _ gradient: [Float],
        _ target: inout [Float], _ outputHeight: Int, _ outputWidth: Int
    ) {
        for oy in 0..<outputHeight {
            let top = 2 * oy * inputWidth
            let bottom = top + inputWidth
            for ox in 0..<outputWidth {
                let index = oy * outputWidth + ox
                let maximum = output[index]
                let g = gradient[index]
                let positions = (top + 2 * ox, top + 2 * ox + 1, bottom + 2 * ox)
                let hits = (
                    Float((input[positions.0] == maximum).asZeroOrOne),
                    Float((input[positions.1] == maximum).asZeroOrOne),
                    Float((input[positions.2] == maximum).asZeroOrOne)
                )
                let takes1 = hits.1 * (1 - hits.0)
                let takes2 = hits.2 * (1 - hits.0) * (1 - hits.1)
                target[positions.0] = hits.0 * g
                target[positions.1] = takes1 * g
                target[positions.2] = takes2 * g
                target[positions.2 + 1] = (1 - hits.0) * (1 - hits.1) * (1 - hits.2) * g
            }
        }
    }
}
