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
    /// `columns` ([C·kh·kw, count·OH·OW]).
    func im2col(
        _ input: UnsafePointer<Float>, images first: Int, count: Int,
        into columns: UnsafeMutablePointer<Float>
    ) {
        let width = count * outputPlane
        Parallelism.forEachChunk(count: count, costPerItem: columnRows * outputPlane) { images in
            for image in images {
                let source = input + (first + image) * channels * inputPlane
                for row in 0..<columnRows {
                    let (channel, i, j) = kernelPosition(row)
                    let plane = source + channel * inputPlane
                    let target = columns + row * width + image * outputPlane
                    for oy in 0..<outputHeight {
                        let y = oy * stride.height - padding.height + i * dilation.height
                        let out = target + oy * outputWidth
                        guard y >= 0, y < inputHeight else {
                            out.update(repeating: 0, count: outputWidth)
                            continue
                        }
                        let line = plane + y * inputWidth
                        for ox in 0..<outputWidth {
                            let x = ox * stride.width - padding.width + j * dilation.width
                            out[ox] = x >= 0 && x < inputWidth ? line[x] : 0
                        }
                    }
                }
            }
        }
    }

    /// Folds `columns` ([C·kh·kw, count·OH·OW]) back onto images `first..<first + count` of
    /// `gradient` (contiguous [N, C, H, W]), adding overlapping windows together.
    func col2im(
        _ columns: UnsafePointer<Float>, images first: Int, count: Int,
        into gradient: UnsafeMutablePointer<Float>
    ) {
        let width = count * outputPlane
        Parallelism.forEachChunk(count: count, costPerItem: columnRows * outputPlane) { images in
            for image in images {
                let target = gradient + (first + image) * channels * inputPlane
                for row in 0..<columnRows {
                    let (channel, i, j) = kernelPosition(row)
                    let plane = target + channel * inputPlane
                    let source = columns + row * width + image * outputPlane
                    for oy in 0..<outputHeight {
                        let y = oy * stride.height - padding.height + i * dilation.height
                        guard y >= 0, y < inputHeight else { continue }
                        let line = plane + y * inputWidth
                        let values = source + oy * outputWidth
                        for ox in 0..<outputWidth {
                            let x = ox * stride.width - padding.width + j * dilation.width
                            if x >= 0, x < inputWidth { line[x] += values[ox] }
                        }
                    }
                }
            }
        }
    }

    /// The (channel, kernel row, kernel column) of a column-matrix row.
    @inline(__always)
    private func kernelPosition(_ row: Int) -> (channel: Int, i: Int, j: Int) {
        let perChannel = kernel.height * kernel.width
        let within = row % perChannel
        return (row / perChannel, within / kernel.width, within % kernel.width)
    }

    /// How many images to unfold at once so the column matrix stays near `budget` floats.
    func imagesPerBlock(budget: Int = 1 << 22) -> Int {
        let perImage = Swift.max(columnRows * outputPlane, 1)
        return Swift.max(1, Swift.min(batch, budget / perImage))
    }
}
