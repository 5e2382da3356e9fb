// im2col and col2im (Chellapilla, Puri & Simard, 2006, "High Performance Convolutional Neural
// Networks for Document Processing"): unfolding each sliding window of an image into a column
// turns a convolution into one matrix product.
//
// The column matrix of a block of B images is [C·kh·kw, B·OH·OW]: row (c, i, j) holds, for each
// image b and output position (oy, ox), the input value x[b, c, oy·sh − ph + i·dh,
// ox·sw − pw + j·dw], or 0 in the padding.

extension WindowGeometry {
    /// Rows of the column matrix (C·kh·kw).
    var columnRows: Int { channels * kernel.height * kernel.width }

    /// Unfolds images `first..<first + count` of `input` (contiguous [N, C, H, W]) into
    /// `columns` ([C·kh·kw, count·OH·OW]), on up to `threads` threads.
    func im2col(
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
    func col2im(
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

    /// For kernel column `j`: the input column of output column 0 (`shift`, possibly negative)
    /// and the output columns whose input column `ox·sw + shift` lies inside the image.
    @inline(__always)
    func validColumns(kernelColumn j: Int) -> (shift: Int, valid: Range<Int>) {
        let shift = j * dilation.width - padding.width
        let step = stride.width
        // Smallest ox with ox·step + shift ≥ 0, and the first with ox·step + shift ≥ width.
        let low = shift >= 0 ? 0 : (-shift + step - 1) / step
        let high = inputWidth - shift <= 0 ? 0 : (inputWidth - shift + step - 1) / step
        let start = Swift.min(low, outputWidth)
        return (shift, start..<Swift.max(start, Swift.min(high, outputWidth)))
    }

    /// The (channel, kernel row, kernel column) of a column-matrix row.
    @inline(__always)
    private func kernelPosition(_ row: Int) -> (channel: Int, i: Int, j: Int) {
        let perChannel = kernel.height * kernel.width
        let within = row % perChannel
        return (row / perChannel, within / kernel.width, within % kernel.width)
    }

    /// How many images to unfold at once so the column matrix stays near `budget` floats; the
    /// default, 512 KB, lets the columns stay in a core's L2 cache between im2col writing them
    /// and sgemm reading them.
    func imagesPerBlock(budget: Int = 1 << 17) -> Int {
        let perImage = Swift.max(columnRows * outputPlane, 1)
        return Swift.max(1, Swift.min(batch, budget / perImage))
    }
}
