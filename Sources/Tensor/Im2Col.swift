import CVectorKernels

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

    /// This geometry for the C kernels (one image).
    var window: TBWindow {
        TBWindow(
            channels: channels, height: inputHeight, width: inputWidth,
            kernel_height: kernel.height, kernel_width: kernel.width,
            stride_height: stride.height, stride_width: stride.width,
            padding_height: padding.height, padding_width: padding.width,
            dilation_height: dilation.height, dilation_width: dilation.width,
            output_height: outputHeight, output_width: outputWidth)
    }

    /// Unfolds images `first..<first + count` of `input` (contiguous [N, C, H, W]) into
    /// `columns` ([C·kh·kw, count·OH·OW]), on up to `threads` threads, with the widest vectors
    /// the CPU has (`tb_im2col`).
    func im2col(
        _ input: UnsafePointer<Float>, images first: Int, count: Int,
        into columns: UnsafeMutablePointer<Float>, threads: Int = Parallelism.threadCount
    ) {
        let width = count * outputPlane
        let window = self.window
        Parallelism.forEachChunk(
            count: count, costPerItem: columnRows * outputPlane, threads: threads
        ) { images in
            // Each thread passes its own copy: the C kernel only reads it.
            withUnsafePointer(to: window) { window in
                for image in images {
                    tb_im2col(
                        window, input + (first + image) * channels * inputPlane,
                        columns + image * outputPlane, width)
                }
            }
        }
    }

    /// Folds `columns` ([C·kh·kw, count·OH·OW]) back onto images `first..<first + count` of
    /// `gradient` (contiguous [N, C, H, W]), adding overlapping windows together, on up to
    /// `threads` threads (`tb_col2im`).
    func col2im(
        _ columns: UnsafePointer<Float>, images first: Int, count: Int,
        into gradient: UnsafeMutablePointer<Float>, threads: Int = Parallelism.threadCount
    ) {
        let width = count * outputPlane
        let window = self.window
        Parallelism.forEachChunk(
            count: count, costPerItem: columnRows * outputPlane, threads: threads
        ) { images in
            // Each thread passes its own copy: the C kernel only reads it.
            withUnsafePointer(to: window) { window in
                for image in images {
                    tb_col2im(
                        window, columns + image * outputPlane, width,
                        gradient + (first + image) * channels * inputPlane)
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

    /// How many images to unfold at once so the column matrix stays near `budget` floats. The
    /// default, 128 KB, keeps the columns in cache between im2col writing them and sgemm reading
    /// them even when the core's L2 is shared (a hyperthread sibling, other processes): on the
    /// AMD EPYC Zen 4 with 2 vCPUs shared with other builds, the tutorial's CNN took 3.7% less
    /// CPU per epoch than with 512 KB (medians of 6 alternating runs, 3.37 s vs 3.50 s for
    /// 12,000 images), and 2 MB took 20% more.
    func imagesPerBlock(budget: Int = 1 << 15) -> Int {
        let perImage = Swift.max(columnRows * outputPlane, 1)
        return Swift.max(1, Swift.min(batch, budget / perImage))
    }
}
