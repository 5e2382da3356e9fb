import Testing

@testable import Tensor

/// A direct, loop-by-loop convolution to compare im2col + sgemm against.
private func referenceConvolution(
    _ input: Tensor, _ weight: Tensor, _ bias: Tensor?, stride: Size2D, padding: Size2D,
    dilation: Size2D
) -> [Float] {
    let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (o, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
    let oh = (h + 2 * padding.height - dilation.height * (kh - 1) - 1) / stride.height + 1
    let ow = (w + 2 * padding.width - dilation.width * (kw - 1) - 1) / stride.width + 1
    let x = input.scalars
    let k = weight.scalars
    let b = bias?.scalars ?? [Float](repeating: 0, count: o)
    var result: [Float] = []
    for image in 0..<n {
        for out in 0..<o {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var total = b[out]
                    for channel in 0..<c {
                        for i in 0..<kh {
                            for j in 0..<kw {
                                let y = oy * stride.height - padding.height + i * dilation.height
                                let xx = ox * stride.width - padding.width + j * dilation.width
                                guard y >= 0, y < h, xx >= 0, xx < w else { continue }
                                total +=
                                    x[((image * c + channel) * h + y) * w + xx]
                                    * k[((out * c + channel) * kh + i) * kw + j]
                            }
                        }
                    }
                    result.append(total)
                }
            }
        }
    }
    return result
}

@Suite struct ConvolutionTests {
    @Test func matchesADirectConvolution() throws {
        let input = try sample([2, 3, 7, 6], seed: 81)
        let weight = try sample([4, 3, 3, 2], seed: 82)
        let bias = try sample([4], seed: 83)
        let settings: [(Size2D, Size2D, Size2D)] = [
            (1, 0, 1), (2, 1, 1), (Size2D(height: 1, width: 2), Size2D(height: 2, width: 0), 2),
        ]
        for (stride, padding, dilation) in settings {
            let result = try input.conv2d(
                weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
            expectClose(
                result.scalars,
                referenceConvolution(
                    input, weight, bias, stride: stride, padding: padding, dilation: dilation),
                tolerance: 1e-4)
        }
        let same = try input.conv2d(weight: try sample([5, 3, 3, 3], seed: 84), padding: 1)
        #expect(same.shape == [2, 5, 7, 6])
    }

    @Test func blocksOfImagesGiveTheSameResult() throws {
        let input = try sample([5, 2, 6, 6], seed: 85)
        let weight = try sample([3, 2, 3, 3], seed: 86)
        let geometry = try WindowGeometry(
            input: input.shape, kernel: 3, stride: 1, padding: 1, dilation: 1, operation: "test")
        #expect(geometry.imagesPerBlock(budget: 2 * 18 * 36) == 2)
        let whole = try input.conv2d(weight: weight, padding: 1).scalars
        let perImage = try (0..<5).map { index in
            try input[index..<(index + 1)].conv2d(weight: weight, padding: 1).scalars
        }
        expectClose(whole, perImage.flatMap { $0 }, tolerance: 1e-5)
    }

    /// 72 column rows × 1,024 positions per image: one image per block of the default 128 KB
    /// budget, so the batch takes three blocks. The forward must match the direct convolution
    /// and the gradients the image-by-image ones (input gradients side by side, weight and
    /// bias gradients summed).
    @Test func imagesSpanningSeveralBlocks() throws {
        let input = try sample([3, 8, 34, 34], seed: 93) * 0.3
        let weight = try sample([2, 8, 3, 3], seed: 94) * 0.3
        let bias = try sample([2], seed: 95)
        let geometry = try WindowGeometry(
            input: input.shape, kernel: 3, stride: 1, padding: 0, dilation: 1, operation: "test")
        #expect(geometry.imagesPerBlock() == 1)
        let whole = try input.conv2d(weight: weight, bias: bias, activation: .relu)
        let direct = try Tensor(
            referenceConvolution(input, weight, bias, stride: 1, padding: 0, dilation: 1),
            shape: whole.shape
        ).relu()
        expectClose(whole.scalars, direct.scalars, tolerance: 1e-4)

        let upstream = try sample(whole.shape, seed: 96)
        func gradients(_ images: Tensor, _ seed: Tensor) throws -> [Tensor] {
            try gradient(at: [images, weight, bias]) { p in
                try (p[0].conv2d(weight: p[1], bias: p[2], activation: .relu) * seed).sum()
            }
        }
        let batch = try gradients(input, upstream)
        let single = try (0..<3).map { index in
            try gradients(input[index..<(index + 1)], upstream[index..<(index + 1)])
        }
        expectClose(batch[0].scalars, single.flatMap { $0[0].scalars }, tolerance: 1e-4)
        for parameter in 1...2 {
            let summed = try single.dropFirst().reduce(single[0][parameter]) { total, next in
                try total + next[parameter]
            }
            expectClose(batch[parameter].scalars, summed.scalars, tolerance: 1e-3)
        }
    }

    @Test func badShapesAreErrors() throws {
        let input = try Tensor.zeros([1, 3, 5, 5])
        #expect(throws: TensorError.self) { try input.conv2d(weight: Tensor.zeros([2, 4, 3, 3])) }
        #expect(throws: TensorError.self) { try input.conv2d(weight: Tensor.zeros([2, 3, 7, 7])) }
        #expect(throws: TensorError.self) { try input.conv2d(weight: Tensor.zeros([2, 3, 3])) }
        #expect(throws: TensorError.self) {
            try input.conv2d(weight: Tensor.zeros([2, 3, 3, 3]), stride: 0)
        }
        #expect(throws: TensorError.self) { try Tensor.zeros([3, 5, 5]).maxPool2d(kernel: 2) }
    }

    @Test func convolutionGradients() throws {
        let input = try sample([2, 2, 5, 4], seed: 87)
        let weight = try sample([3, 2, 3, 2], seed: 88)
        let bias = try sample([3], seed: 89)
        try checkGradients(at: [input, weight, bias]) { p in
            try p[0].conv2d(weight: p[1], bias: p[2], stride: 1, padding: 1)
        }
        try checkGradients(at: [input, weight]) { p in
            try p[0].conv2d(
                weight: p[1], stride: 2, padding: Size2D(height: 0, width: 1), dilation: 1)
        }
        try checkGradients(at: [input, weight]) { p in
            try p[0].conv2d(weight: p[1], padding: 1, dilation: Size2D(height: 2, width: 1))
        }
    }

    @Test(arguments: [FusedActivation.relu, .leakyRelu(slope: 0.2), .tanh, .sigmoid])
    func fusedActivations(_ activation: FusedActivation) throws {
        // |Σ x·w| ≤ 12 · 0.18² < 0.39 and |b| ≥ 0.6: every output is > 0.2 from the ReLU kink.
        let input = try sample([2, 2, 5, 4], seed: 90) * 0.15
        let weight = try sample([3, 2, 3, 2], seed: 91) * 0.15
        let bias = try sample([3], seed: 92) * 3
        let plain = try input.conv2d(weight: weight, bias: bias, padding: 1)
        let expected: Tensor =
            switch activation {
            case .relu: try plain.relu()
            case .leakyRelu(let slope): try plain.leakyRelu(slope: slope)
            case .tanh: try plain.tanh()
            default: try plain.sigmoid()
            }
        let fused = try input.conv2d(weight: weight, bias: bias, padding: 1, activation: activation)
        expectClose(fused.scalars, expected.scalars)
        try checkGradients(at: [input, weight, bias]) { p in
            try p[0].conv2d(weight: p[1], bias: p[2], padding: 1, activation: activation)
        }
    }

    @Test func maxPoolValuesAndGradient() throws {
        let x = try Tensor.arange(16).reshaped([1, 1, 4, 4])
        let pooled = try x.maxPool2d(kernel: 2)
        #expect(pooled.shape == [1, 1, 2, 2])
        #expect(pooled.scalars == [5, 7, 13, 15])
        #expect(try x.maxPool2d(kernel: 3, stride: 1).scalars == [10, 11, 14, 15])
        #expect(
            try x.maxPool2d(kernel: 2, stride: 2, padding: 1).scalars == [
                0, 2, 3, 8, 10, 11, 12, 14, 15,
            ])
        let g = try gradient(at: x) { x in try x.maxPool2d(kernel: 2).sum() }
        #expect(g.scalars == [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1])
        let values = try distinctSample([2, 2, 5, 5], seed: 90)
        try checkGradients(at: [values]) { p in try p[0].maxPool2d(kernel: 2) }
        try checkGradients(at: [values]) { p in try p[0].maxPool2d(kernel: 3, stride: 2, padding: 1)
        }
    }

    /// Disjoint windows write the gradient without zeroing first: the rows and columns no
    /// window covers (5 mod 2) must still come out 0 from a recycled, NaN-filled buffer.
    @Test func maxPoolGradientZeroesWhatNoWindowCovers() throws {
        let values = try distinctSample([2, 3, 5, 5], seed: 97)
        do { _ = try (0..<4).map { _ in try Tensor.full([2, 3, 5, 5], value: .nan) } }
        let g = try gradient(at: values) { x in try x.maxPool2d(kernel: 2).sum() }
        let scalars = g.scalars
        #expect(scalars.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(scalars.reduce(0, +) == Float(2 * 3 * 4))
        for plane in 0..<6 {
            for index in 0..<25 where index / 5 == 4 || index % 5 == 4 {
                #expect(scalars[plane * 25 + index] == 0)
            }
        }
    }

    @Test func maxPoolTiesGiveTheGradientToTheFirstMaximum() throws {
        let flat = try Tensor.ones([1, 1, 4, 4])
        let disjoint = try gradient(at: flat) { x in try x.maxPool2d(kernel: 2).sum() }
        #expect(disjoint.scalars == [1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0])
        let threeByThree = try gradient(at: Tensor.ones([1, 1, 3, 3])) { x in
            try x.maxPool2d(kernel: 3).sum()
        }
        #expect(threeByThree.scalars == [1, 0, 0, 0, 0, 0, 0, 0, 0])
        let overlapping = try gradient(at: Tensor.ones([1, 1, 3, 3])) { x in
            try x.maxPool2d(kernel: 2, stride: 1).sum()
        }
        #expect(overlapping.scalars == [1, 1, 0, 1, 1, 0, 0, 0, 0])
    }

    @Test func avgPoolValuesAndGradient() throws {
        let x = try Tensor.arange(16).reshaped([1, 1, 4, 4])
        #expect(try x.avgPool2d(kernel: 2).scalars == [2.5, 4.5, 10.5, 12.5])
        // Padding counts as zeros in the divisor: the corner window holds only x[0, 0] = 0 …
        let padded = try x.avgPool2d(kernel: 2, stride: 2, padding: 1)
        #expect(padded.scalars[0] == 0)
        #expect(padded.scalars[1] == 0.75)  // (1 + 2) / 4
        let values = try sample([2, 2, 5, 5], seed: 91)
        try checkGradients(at: [values]) { p in try p[0].avgPool2d(kernel: 2) }
        try checkGradients(at: [values]) { p in try p[0].avgPool2d(kernel: 3, stride: 1, padding: 1)
        }
    }
}
