import Testing

@testable import Tensor

/// The C im2col and col2im (`tb_im2col`, `tb_col2im`), forced in turn on each level this machine
/// runs, against the Swift loops they replaced, bit for bit, on random images of many shapes:
/// with and without padding, strides and dilations, and rows (output widths) shorter and longer
/// than a vector, not multiples of 8 or 16, over several images of a block; and, with guard
/// floats around one image's columns and one image, that no run writes outside its bounds.
@Suite(.serialized)
struct Im2ColKernelTests {
    /// (channels, height, width, kernel, stride, padding, dilation) cases.
    static let cases: [(Int, Int, Int, Size2D, Size2D, Size2D, Size2D)] = [
        (1, 28, 28, 3, 1, 0, 1),  // the CNN's first layer: rows of 26
        (3, 13, 13, 3, 1, 0, 1),  // its second layer's shape: rows of 11
        (2, 7, 9, 3, 1, 1, 1),
        (2, 9, 40, Size2D(height: 3, width: 5), 1, 2, 1),  // rows of 40: 2½ vectors
        (1, 17, 33, 3, 1, 0, 1),  // rows of 31
        (2, 10, 11, 3, 2, 1, 1),
        (1, 12, 19, 3, Size2D(height: 1, width: 3), 1, 2),
        (2, 5, 5, 5, 1, 2, 1),  // padding wider than most rows' valid part
        (1, 4, 4, 2, 2, 1, 3),  // dilated windows reaching past the image
        (1, 3, 18, Size2D(height: 1, width: 3), 1, Size2D(height: 0, width: 1), 1),
    ]

    private func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in Float.random(in: -2...2, using: &generator) }
    }

    /// Equal bit patterns (so −0 differs from +0).
    private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    @Test func im2colAndCol2imEqualTheSwiftLoopsOnEveryLevel() throws {
        let saved = VectorKernels.level
        defer { VectorKernels.level = saved }
        for (index, item) in Self.cases.enumerated() {
            let (channels, height, width, kernel, stride, padding, dilation) = item
            let batch = 3
            let g = try WindowGeometry(
                input: [batch, channels, height, width], kernel: kernel, stride: stride,
                padding: padding, dilation: dilation, operation: "test")
            let (first, count) = (1, 2)
            let input = randomFloats(batch * channels * g.inputPlane, seed: UInt64(index))
            let columnCount = g.columnRows * count * g.outputPlane
            var expectedColumns = [Float](repeating: 7, count: columnCount)
            g.referenceIm2col(
                input, images: first, count: count, into: &expectedColumns, threads: 1)
            let folded = randomFloats(columnCount, seed: UInt64(100 + index))
            // −0 in the image must stay −0 where nothing is added (the vector runs add −0 past
            // a run's end).
            let start = randomFloats(input.count, seed: UInt64(200 + index)).enumerated().map {
                $0.offset % 5 == 0 ? -0.0 : $0.element
            }
            var expectedImage = start
            g.referenceCol2im(
                folded, images: first, count: count, into: &expectedImage, threads: 1)
            for level in VectorKernels.availableLevels {
                VectorKernels.level = level
                var columns = [Float](repeating: 7, count: columnCount)
                g.im2col(input, images: first, count: count, into: &columns, threads: 1)
                #expect(bits(columns) == bits(expectedColumns), "im2col \(level), case \(index)")
                var image = start
                g.col2im(folded, images: first, count: count, into: &image, threads: 1)
                #expect(bits(image) == bits(expectedImage), "col2im \(level), case \(index)")
            }
        }
    }

    /// One image unfolded into columns with guard floats on both sides, and folded back onto an
    /// image whose neighbours and the floats after the buffer are guards: no level writes
    /// outside its own image's columns or its own image.
    @Test func noLevelWritesOutsideItsImage() throws {
        let saved = VectorKernels.level
        defer { VectorKernels.level = saved }
        let guardValue: Float = 12345
        let margin = 32
        for (index, item) in Self.cases.enumerated() {
            let (channels, height, width, kernel, stride, padding, dilation) = item
            let g = try WindowGeometry(
                input: [3, channels, height, width], kernel: kernel, stride: stride,
                padding: padding, dilation: dilation, operation: "test")
            let imageSize = channels * g.inputPlane
            let input = randomFloats(3 * imageSize, seed: UInt64(400 + index))
            let columnCount = g.columnRows * g.outputPlane
            let folded = randomFloats(columnCount, seed: UInt64(500 + index))
            for level in VectorKernels.availableLevels {
                VectorKernels.level = level
                var columns = [Float](repeating: guardValue, count: columnCount + 2 * margin)
                columns.withUnsafeMutableBufferPointer { buffer in
                    guard let base = buffer.baseAddress else { return }
                    g.im2col(input, images: 1, count: 1, into: base + margin, threads: 1)
                }
                let outside = columns[..<margin] + columns[(margin + columnCount)...]
                #expect(outside.allSatisfy { $0 == guardValue }, "im2col \(level), case \(index)")
                var image = [Float](repeating: guardValue, count: 3 * imageSize + margin)
                g.col2im(folded, images: 1, count: 1, into: &image, threads: 1)
                let around = image[..<imageSize] + image[(2 * imageSize)...]
                #expect(around.allSatisfy { $0 == guardValue }, "col2im \(level), case \(index)")
            }
        }
    }

    @Test func twoThreadsUnfoldAndFoldTheSameAsOne() throws {
        let g = try WindowGeometry(
            input: [6, 2, 9, 10], kernel: 3, stride: 1, padding: 1, dilation: 1,
            operation: "test")
        let input = randomFloats(6 * 2 * g.inputPlane, seed: 300)
        let columnCount = g.columnRows * 6 * g.outputPlane
        var (one, two) = (
            [Float](repeating: 0, count: columnCount), [Float](repeating: 0, count: columnCount)
        )
        g.im2col(input, images: 0, count: 6, into: &one, threads: 1)
        g.im2col(input, images: 0, count: 6, into: &two, threads: 2)
        #expect(bits(one) == bits(two))
        var (foldedOne, foldedTwo) = (
            [Float](repeating: 0, count: input.count), [Float](repeating: 0, count: input.count)
        )
        g.col2im(one, images: 0, count: 6, into: &foldedOne, threads: 1)
        g.col2im(one, images: 0, count: 6, into: &foldedTwo, threads: 2)
        #expect(bits(foldedOne) == bits(foldedTwo))
    }
}

/// The Swift im2col and col2im that the C kernels replaced, kept as their reference.
extension WindowGeometry {
    /// Unfolds images `first..<first + count` of `input` (contiguous [N, C, H, W]) into
    /// `columns` ([C·kh·kw, count·OH·OW]), on up to `threads` threads.
    func referenceIm2col(
        _ input: UnsafePointer<Float>, images first: Int, count: Int,
        into columns: UnsafeMutablePointer<Float>, threads: Int = Parallelism.threadCount
    ) {
        let width = count * outputPlane
        Parallelism.forEachChunk(
            count: count, costPerItem: columnRows * outputPlane, threads: threads
        ) { images in
            for image in images {
                let source = input + (first + image) * channels * inputPlane
                for row in 0..<columnRows {
                    let (channel, i, j) = kernelPosition(row)
                    let plane = source + channel * inputPlane
                    let target = columns + row * width + image * outputPlane
                    let (shift, valid) = validColumns(kernelColumn: j)
                    for oy in 0..<outputHeight {
                        let y = oy &* stride.height &- padding.height &+ i &* dilation.height
                        let out = target + oy &* outputWidth
                        guard y >= 0, y < inputHeight, !valid.isEmpty else {
                            FloatRun.fill(out, with: 0, count: outputWidth)
                            continue
                        }
                        if valid.count != outputWidth {
                            FloatRun.fill(out, with: 0, count: valid.lowerBound)
                            FloatRun.fill(
                                out + valid.upperBound, with: 0,
                                count: outputWidth &- valid.upperBound)
                        }
                        let line = plane + (y &* inputWidth &+ shift)
                        if stride.width == 1 {
                            FloatRun.copy(
                                from: line + valid.lowerBound, to: out + valid.lowerBound,
                                count: valid.count)
                        } else {
                            let step = stride.width
                            for ox in valid { out[ox] = line[ox &* step] }
                        }
                    }
                }
            }
        }
    }

    /// Folds `columns` ([C·kh·kw, count·OH·OW]) back onto images `first..<first + count` of
    /// `gradient` (contiguous [N, C, H, W]), adding overlapping windows together, on up to
    /// `threads` threads.
    func referenceCol2im(
        _ columns: UnsafePointer<Float>, images first: Int, count: Int,
        into gradient: UnsafeMutablePointer<Float>, threads: Int = Parallelism.threadCount
    ) {
        let width = count * outputPlane
        Parallelism.forEachChunk(
            count: count, costPerItem: columnRows * outputPlane, threads: threads
        ) { images in
            for image in images {
                let target = gradient + (first + image) * channels * inputPlane
                for row in 0..<columnRows {
                    let (channel, i, j) = kernelPosition(row)
                    let plane = target + channel * inputPlane
                    let source = columns + row * width + image * outputPlane
                    let (shift, valid) = validColumns(kernelColumn: j)
                    guard !valid.isEmpty else { continue }
                    for oy in 0..<outputHeight {
                        let y = oy * stride.height - padding.height + i * dilation.height
                        guard y >= 0, y < inputHeight else { continue }
                        let line = plane + y * inputWidth + shift
                        let values = source + oy * outputWidth
                        let step = stride.width
                        if step == 1 {
                            FloatRun.add(
                                values + valid.lowerBound, onto: line + valid.lowerBound,
                                count: valid.count)
                        } else {
                            for ox in valid { line[ox &* step] += values[ox] }
                        }
                    }
                }
            }
        }
    }

    /// The (channel, kernel row, kernel column) of a column-matrix row.
    @inline(__always)
    func kernelPosition(_ row: Int) -> (channel: Int, i: Int, j: Int) {
        let perChannel = kernel.height * kernel.width
        let within = row % perChannel
        return (row / perChannel, within / kernel.width, within % kernel.width)
    }
}
