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

    /// Runs `argmax` (into maxima and codes arrays of `maxima.count`) and `scatter` (from
    /// `codes` into an array of `scattered.count`) and expects the given results bit for bit.
    private func expectKernels(
        _ name: String, maxima: [Float], codes: [Float], scattered: [Float],
        argmax: (inout [Float], inout [Float]) -> Void, scatter: (inout [Float]) -> Void
    ) {
        var (output, actualCodes) = (
            [Float](repeating: 7, count: maxima.count), [Float](repeating: 7, count: maxima.count)
        )
        argmax(&output, &actualCodes)
        #expect(bits(output) == bits(maxima), "maxima \(name)")
        #expect(actualCodes == codes, "codes \(name)")
        var target = [Float](repeating: 7, count: scattered.count)
        scatter(&target)
        #expect(bits(target) == bits(scattered), "scatter \(name)")
    }

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
                    expectKernels(
                        "\(level), \(height)×\(width), positive only \(positiveOnly)",
                        maxima: maxima, codes: expectedCodes, scattered: expectedTarget,
                        argmax: { output, codes in
                            tb_max_pool_2x2_argmax(
                                input, width, &output, &codes, outputHeight, outputWidth,
                                positiveOnly ? 1 : 0)
                        },
                        scatter: { target in
                            tb_max_pool_2x2_scatter(
                                expectedCodes, gradient, &target, width, outputHeight,
                                outputWidth)
                        })
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
                        expectKernels(
                            "\(level), \(channels)×\(height)×\(width), \(positiveOnly)",
                            maxima: maxima, codes: codes, scattered: expectedBlocked,
                            argmax: { output, actualCodes in
                                tb_max_pool_2x2_argmax_blocked16(
                                    blockedInput, channels, height, width, &output,
                                    &actualCodes, Int32(positiveOnly))
                            },
                            scatter: { target in
                                tb_max_pool_2x2_scatter_blocked16(
                                    codes, gradient, &target, channels, height, width)
                            })
                    }
                }
            }
        }
    }

    /// A NaN or infinite upstream gradient reaches only its window's winning element on both
    /// paths: the unfused backward (`tb_max_pool_2x2_backward`, and the generic loop for 3×3)
    /// and the fused scatter give the other elements an exact +0, as PyTorch does, not 0 · NaN.
    @Test func nonFiniteGradientsReachOnlyTheWinner() throws {
        let saved = VectorKernels.level
        defer { VectorKernels.level = saved }
        let (height, width) = (4, 36)  // 2 × 18 windows: a full vector and a masked rest
        let (outputHeight, outputWidth) = (height / 2, width / 2)
        let input = plane(height * width, seed: 300)
        var maxima = [Float](repeating: 7, count: outputHeight * outputWidth)
        Self.referenceForward(input, width, &maxima, outputHeight, outputWidth)
        let gradient = maxima.indices.map { [Float.nan, .infinity, -.infinity, 1][$0 % 4] }
        var expected = [Float](repeating: 7, count: input.count)
        Self.referenceBackward(input, width, maxima, gradient, &expected, outputHeight, outputWidth)
        #expect(expected.filter { $0.isNaN }.count == maxima.indices.filter { $0 % 4 == 0 }.count)
        let codes = Self.referenceCodes(
            input, width, maxima, outputHeight, outputWidth, positiveOnly: false)
        for level in VectorKernels.availableLevels {
            VectorKernels.level = level
            var target = [Float](repeating: 7, count: input.count)
            tb_max_pool_2x2_backward(
                input, width, maxima, gradient, &target, outputHeight, outputWidth)
            #expect(bits(target) == bits(expected), "backward \(level)")
            var scattered = [Float](repeating: 7, count: input.count)
            tb_max_pool_2x2_scatter(codes, gradient, &scattered, width, outputHeight, outputWidth)
            #expect(bits(scattered) == bits(expected), "scatter \(level)")
        }
        // Through the public operations, 2×2 (the C kernel) and 3×3 (the generic loop).
        for kernel in [2, 3] {
            let x = try Tensor((0..<36).map { Float($0 % 7) }, shape: [1, 1, 6, 6])
                .requiringGradient()
            let pooled = try x.maxPool2d(kernel: Size2D(height: kernel, width: kernel))
            let seed = try Tensor(
                [Float](repeating: .nan, count: pooled.elementCount), shape: pooled.shape)
            let g = try pooled.gradients(at: [x], seed: seed)[0].scalars
            #expect(g.filter { $0.isNaN }.count == pooled.elementCount, "\(kernel)×\(kernel)")
            #expect(g.filter { $0 == 0 }.count == 36 - pooled.elementCount, "\(kernel)×\(kernel)")
        }
    }

    /// Which element of each 2×2 window is its first equal to the maximum (3 when none is), or
    /// 4 when `positiveOnly` and that element is not above 0.
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
                let winner = window.firstIndex(of: maximum) ?? 3
                // ReLU's derivative from the winning element (the last when the maximum is
                // NaN and equals none: the element the unfused backward gives the gradient).
                let winning = winner == 3 ? input[top + inputWidth + 1] : maximum
                let code = positiveOnly && !(winning > 0) ? 4 : Float(winner)
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

    /// `WindowGeometry.scatterToFirstMaximum` for 2×2 windows (PyTorch's rule: the gradient
    /// selected, not multiplied by 0 or 1).
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
                let positions = [
                    top + 2 * ox, top + 2 * ox + 1, bottom + 2 * ox, bottom + 2 * ox + 1,
                ]
                // The first element equal to the maximum (the last when none is) takes the
                // gradient, selected: the others get +0 even when it is NaN or infinite.
                let winner = positions.prefix(3).firstIndex { input[$0] == maximum } ?? 3
                for (k, position) in positions.enumerated() {
                    target[position] = k == winner ? g : 0
                }
            }
        }
    }
}
