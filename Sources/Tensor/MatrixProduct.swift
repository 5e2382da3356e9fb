import COpenBLAS

// Every matrix product goes through `gemm`. With several threads (`Parallelism.threadCount`),
// a product big enough for OpenBLAS to thread is instead cut into row (or column) blocks of C,
// one per thread, each a single-threaded cblas_sgemm: Trainbook's own threads do all the
// parallel work. OpenBLAS's workers would otherwise busy-wait for about 2^28 cycles after each
// threaded product, taking a core from the elementwise and im2col work that follows (the CNN
// at 2 threads ran 12 % slower because of it).

/// C = op(A)·op(B) (+ C when `accumulate`), row-major, through cblas_sgemm; split into blocks
/// of C across `threads` threads when the product is large enough.
func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
    threads: Int = Parallelism.threadCount
) throws(TensorError) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if !accumulate {
            for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
        }
        return
    }
    _ = try blasDimensions([m, n, k, lda, ldb, ldc], operation: "gemm")
    let product = MatrixProduct(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b,
        ldb: ldb, c: c, ldc: ldc, beta: accumulate ? 1 : 0)
    product.run(threads: threads)
}

/// One cblas_sgemm call's operands, whose dimensions the caller checked fit BLAS integers.
struct MatrixProduct {
    let transposeA: Bool
    let transposeB: Bool
    let m: Int
    let n: Int
    let k: Int
    let a: UnsafePointer<Float>
    let lda: Int
    let b: UnsafePointer<Float>
    let ldb: Int
    let c: UnsafeMutablePointer<Float>
    let ldc: Int
    let beta: Float

    /// Products with fewer multiply-adds than this run whole on the calling thread (OpenBLAS
    /// 0.3.21 itself threads a product only above 65,536 × 4).
    static let minimumParallelWork = 1 << 18

    /// Runs the product, cut into one block of C per thread when it is worth it: blocks of rows
    /// when C has enough of them, else blocks of columns.
    func run(threads: Int) {
        let (work, overflow) = m.multipliedReportingOverflow(by: n)
        let (total, overflowTotal) = work.multipliedReportingOverflow(by: k)
        guard threads > 1, overflow || overflowTotal || total >= Self.minimumParallelWork else {
            call()
            return
        }
        let byRows = m >= 2 * threads || m >= n
        let parts = Parallelism.partitions(
            count: byRows ? m : n, costPerItem: Parallelism.minimumParallelElements, limit: threads)
        guard parts.count > 1 else {
            call()
            return
        }
        // The blocks write disjoint parts of C; gemm throws nothing here (dimensions checked).
        try? Parallelism.forEachPartition(parts) { _, range throws(TensorError) in
            (byRows ? rows(range) : columns(range)).call()
        }
    }

    /// The product restricted to rows `range` of C.
    func rows(_ range: Range<Int>) -> MatrixProduct {
        MatrixProduct(
            transposeA: transposeA, transposeB: transposeB, m: range.count, n: n, k: k,
            a: a + (transposeA ? range.lowerBound : range.lowerBound * lda), lda: lda, b: b,
            ldb: ldb, c: c + range.lowerBound * ldc, ldc: ldc, beta: beta)
    }

    /// The product restricted to columns `range` of C.
    func columns(_ range: Range<Int>) -> MatrixProduct {
        MatrixProduct(
            transposeA: transposeA, transposeB: transposeB, m: m, n: range.count, k: k, a: a,
            lda: lda, b: b + (transposeB ? range.lowerBound * ldb : range.lowerBound), ldb: ldb,
            c: c + range.lowerBound, ldc: ldc, beta: beta)
    }

    /// One cblas_sgemm call on the calling thread.
    func call() {
        BLAS.startUp()  // the right kernels before the first product (see BLASStartUp)
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans, Int32(truncatingIfNeeded: m),
            Int32(truncatingIfNeeded: n), Int32(truncatingIfNeeded: k), 1, a,
            Int32(truncatingIfNeeded: lda), b, Int32(truncatingIfNeeded: ldb), beta, c,
            Int32(truncatingIfNeeded: ldc))
    }
}
