import CDNNLConvolution
import CInt8Kernels
import Synchronization
import Tensor

/// Integer matrix products on oneDNN's `dnnl_gemm_u8s8s32` (the library PyTorch's CPU int8
/// path uses): uint8 activations × int8 weights accumulated exactly in int32, with the
/// activations' zero point subtracted inside the product. Requantization happens after, in the
/// fused epilogues of `CInt8Kernels`.
///
/// Like the float32 products (`MatrixProduct`), large products are split into blocks of rows,
/// one single-threaded oneDNN call per `Parallelism` thread: oneDNN's own OpenMP team spins at
/// its barriers, which on a loaded machine (a descheduled team member) cost tens of
/// milliseconds per call where the split costs nothing.
public enum Int8Product {
    /// `C[m, n] = Σₖ (A[m, k] − zeroPoint) · W[n, k]`: the product of uint8 rows `a` `[m, k]`
    /// (offset by their zero point) with the transposed int8 weight `w` `[n, k]`, as int32.
    ///
    /// ```swift
    /// let acc = try Int8Product.multiply(codes, zeroPoint: 3, weight)   // [m, n] int32
    /// ```
    ///
    /// - Throws: `CompressError.invalidArgument` for wrong dtypes, ranks or sizes.
    public static func multiply(_ a: Tensor, zeroPoint: Int32, _ w: Tensor) throws -> Tensor {
        guard a.dtype == .uint8, w.dtype == .int8, a.rank == 2, w.rank == 2,
            a.shape[1] == w.shape[1]
        else {
            throw CompressError.invalidArgument(
                function: "Int8Product.multiply",
                message: "expected uint8 [m, k] and int8 [n, k], got \(a.dtype) \(a.shape) and "
                    + "\(w.dtype) \(w.shape)")
        }
        let (m, k, n) = (a.shape[0], a.shape[1], w.shape[0])
        return try a.withElements(of: UInt8.self) { aElements in
            try w.withElements(of: Int8.self) { wElements in
                try Tensor.filled(shape: [m, n], of: Int32.self) { c in
                    try multiply(
                        aElements, zeroPoint: zeroPoint, wElements, into: c, m: m, n: n, k: k)
                }
            }
        }
    }

    /// The same product on raw row-major buffers; `c` receives `m · n` values.
    static func multiply(
        _ a: UnsafeBufferPointer<UInt8>, zeroPoint: Int32, _ w: UnsafeBufferPointer<Int8>,
        into c: UnsafeMutableBufferPointer<Int32>, m: Int, n: Int, k: Int
    ) throws {
        guard (0...255).contains(zeroPoint), a.count >= m * k, w.count >= n * k,
            c.count >= m * n
        else {
            throw CompressError.invalidArgument(
                function: "Int8Product.multiply",
                message: "buffers too small or zero point \(zeroPoint) outside 0...255")
        }
        if m == 0 || n == 0 { return }
        guard k > 0, let aBase = a.baseAddress, let wBase = w.baseAddress,
            let cBase = c.baseAddress
        else {
            c.update(repeating: 0)
            return
        }
        try requireLibrary("Int8Product.multiply")
        let failure = Mutex<Int32?>(nil)
        Parallelism.forEachChunk(count: m, costPerItem: n * k / 8) { rows in
            tb_openmp_set_threads(1)
            var offset: Int32 = 0
            let status = tb_dnnl_gemm_u8s8s32(
                CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "T")), CChar(UInt8(ascii: "F")),
                Int64(rows.count), Int64(n), Int64(k), 1,
                aBase + rows.lowerBound * k, Int64(k), UInt8(zeroPoint), wBase,
                Int64(k), 0, 0, cBase + rows.lowerBound * n, Int64(n), &offset)
            if status != 0 { failure.withLock { $0 = status } }
        }
        if let status = failure.withLock({ $0 }) {
            throw CompressError.unsupported(
                function: "Int8Product.multiply",
                message: Self.failure("dnnl_gemm_u8s8s32", status))
        }
    }

    /// `C[n, m] = Σₖ W[n, k] · (B[k, m] − zeroPoint)`: int8 weights `w` `[n, k]` times int8
    /// columns `b` `[k, m]` (im2col's, codes shifted by −128) offset by their zero point, as
    /// int32 `[n, m]` — channel-major, as NCHW wants a convolution's output — on oneDNN's
    /// `dnnl_gemm_s8s8s32`. Blocks of columns run on up to `threads` threads.
    static func multiplyColumns(
        _ w: UnsafeBufferPointer<Int8>, _ b: UnsafeBufferPointer<Int8>, zeroPoint: Int8,
        into c: UnsafeMutableBufferPointer<Int32>, n: Int, m: Int, k: Int,
        threads: Int = Parallelism.threadCount
    ) throws {
        guard w.count >= n * k, b.count >= k * m, c.count >= n * m else {
            throw CompressError.invalidArgument(
                function: "Int8Product.multiplyColumns", message: "buffers too small")
        }
        if m == 0 || n == 0 { return }
        guard k > 0, let wBase = w.baseAddress, let bBase = b.baseAddress,
            let cBase = c.baseAddress
        else {
            c.update(repeating: 0)
            return
        }
        try requireLibrary("Int8Product.multiplyColumns")
        let failure = Mutex<Int32?>(nil)
        Parallelism.forEachChunk(count: m, costPerItem: n * k / 8, threads: threads) { columns in
            tb_openmp_set_threads(1)
            var offset: Int32 = 0
            let status = tb_dnnl_gemm_s8s8s32(
                CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "F")),
                Int64(n), Int64(columns.count), Int64(k), 1, wBase, Int64(k),
                0, bBase + columns.lowerBound, Int64(m), zeroPoint, 0,
                cBase + columns.lowerBound, Int64(m), &offset)
            if status != 0 { failure.withLock { $0 = status } }
        }
        if let status = failure.withLock({ $0 }) {
            throw CompressError.unsupported(
                function: "Int8Product.multiplyColumns",
                message: Self.failure("dnnl_gemm_s8s8s32", status))
        }
    }

    /// The message for a failed oneDNN product.
    private static func failure(_ function: String, _ status: Int32) -> String {
        "oneDNN's \(function) failed with status \(status)"
    }

    /// Throws `libraryUnavailable` (what to install) when libdnnl cannot be loaded.
    private static func requireLibrary(_ function: String) throws(CompressError) {
        guard DNNLLibrary.isAvailable else {
            throw CompressError.libraryUnavailable(
                function: function, message: DNNLLibrary.loadError)
        }
    }
}
