import COpenBLAS

// Every matrix product goes through `gemm`. With several threads (`Parallelism.threadCount`),
// a product big enough for OpenBLAS to thread is instead cut into row (or column) blocks of C,
// one per thread, each a single-threaded cblas_sgemm: Trainbook's own threads do all the
// parallel work. OpenBLAS's workers would otherwise busy-wait for about 2^28 cycles after each
// threaded product, taking a core from the elementwise and im2col work that follows (the CNN
// at 2 threads ran 12 % slower because of it).
//
// A product too long to run uninterrupted (more than `maximumTileWork` multiply-adds, about a
// tenth of a second on one core) runs as a sequence of tiles of C and of the inner dimension,
// each at least `minimumTileSide` wide so that OpenBLAS packs and blocks inside each tile as
// it would in the whole product; `Interruption` is checked between tiles.

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
    try product.runInTiles(threads: threads)
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

    /// Products with more multiply-adds than this run tile by tile (2^32: 0.1–0.3 s on one
    /// Zen 4 core), checking for an interrupt between tiles.
    static let maximumTileWork = 1 << 32

    /// Tiles are never cut narrower than this along any dimension (OpenBLAS's own blocks of
    /// the inner dimension and of C are a few hundred wide, so each tile keeps its efficiency).
    static let minimumTileSide = 1024

    /// Runs the product as a sequence of tiles when it is long, checking `interrupted` before
    /// each tile; a short product runs at once.
    ///
    /// - Throws: `TensorError.interrupted` when `interrupted` says so before a tile (the
    ///   earlier tiles of C are then written, the later ones not).
    func runInTiles(
        threads: Int, maximumWork: Int = Self.maximumTileWork,
        minimumSide: Int = Self.minimumTileSide,
        interrupted: () -> Bool = { Interruption.isRequested }
    ) throws(TensorError) {
        let rows = Self.tileSide(
            m, n, k, axis: 0, maximumWork: maximumWork, minimumSide: minimumSide)
        let columns = Self.tileSide(
            m, n, k, axis: 1, maximumWork: maximumWork, minimumSide: minimumSide)
        let depth = Self.tileSide(
            m, n, k, axis: 2, maximumWork: maximumWork, minimumSide: minimumSide)
        guard rows < m || columns < n || depth < k else {
            run(threads: threads)
            return
        }
        for rowStart in stride(from: 0, to: m, by: rows) {
            for columnStart in stride(from: 0, to: n, by: columns) {
                for depthStart in stride(from: 0, to: k, by: depth) {
                    if interrupted() { throw .interrupted }
                    tile(
                        rows: rowStart..<min(m, rowStart + rows),
                        columns: columnStart..<min(n, columnStart + columns),
                        depth: depthStart..<min(k, depthStart + depth),
                        beta: depthStart == 0 ? beta : 1
                    ).run(threads: threads)
                }
            }
        }
    }

    /// The side of the tiles along `axis` (0: rows of C, 1: columns of C, 2: the inner
    /// dimension): the largest side is halved until a tile holds at most `maximumWork`
    /// multiply-adds or no side can be halved without going below `minimumSide`.
    static func tileSide(
        _ m: Int, _ n: Int, _ k: Int, axis: Int, maximumWork: Int, minimumSide: Int
    ) -> Int {
        var sides = [m, n, k]
        func work() -> Int {
            let (mn, overflow) = sides[0].multipliedReportingOverflow(by: sides[1])
            let (mnk, overflowAll) = mn.multipliedReportingOverflow(by: sides[2])
            return overflow || overflowAll ? Int.max : mnk
        }
        while work() > maximumWork {
            let halvable = (0..<3).filter { sides[$0] >= 2 * minimumSide }
            guard let largest = halvable.max(by: { sides[$0] < sides[$1] }) else { break }
            sides[largest] = (sides[largest] + 1) / 2
        }
        return sides[axis]
    }

    /// The product restricted to a tile: rows and columns of C, and a range of the inner
    /// dimension, with its own `beta` (1 for every tile of the inner dimension but the first).
    func tile(rows: Range<Int>, columns: Range<Int>, depth: Range<Int>, beta: Float)
        -> MatrixProduct
    {
        let (row, column, inner) = (rows.lowerBound, columns.lowerBound, depth.lowerBound)
        return MatrixProduct(
            transposeA: transposeA, transposeB: transposeB, m: rows.count, n: columns.count,
            k: depth.count, a: a + (transposeA ? inner * lda + row : row * lda + inner), lda: lda,
            b: b + (transposeB ? column * ldb + inner : inner * ldb + column), ldb: ldb,
            c: c + row * ldc + column, ldc: ldc, beta: beta)
    }

    /// Runs the product, cut into one block of C per thread when it is worth it (blocks of
    /// rows or of columns, `splitsRows`), never across more threads than physical cores
    /// (`Parallelism.productThreads`).
    func run(threads requested: Int, cores: Int = Parallelism.physicalCores) {
        let (work, overflow) = m.multipliedReportingOverflow(by: n)
        let (total, overflowTotal) = work.multipliedReportingOverflow(by: k)
        guard requested > 1, overflow || overflowTotal || total >= Self.minimumParallelWork else {
            call()
            return
        }
        let threads = min(requested, cores)
        guard threads > 1 else {
            // Large enough for OpenBLAS to thread it on its own, onto the same core's siblings.
            Parallelism.withSingleThreadedBLAS { call() }
            return
        }
        let byRows = Self.splitsRows(m: m, n: n, threads: threads)
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

    /// Whether to cut C into blocks of rows rather than of columns. Each thread's sgemm packs
    /// its share of one operand and all of the other: blocks of rows repack op(B) (k × n) in
    /// every thread, blocks of columns op(A) (m × k). The cut repacks the smaller one, and
    /// columns on a tie: at the MLP's products (128×128×784 and its weight gradient
    /// 128×784×128) and the CNN's dense weight gradient (128×1600×128), two column halves took
    /// 2–5 % more CPU than the whole product and two row halves 4–11 % more, with OpenBLAS's
    /// AVX-512 and AVX2 kernels alike (Zen 4). A dimension shorter than two per thread is not
    /// cut.
    static func splitsRows(m: Int, n: Int, threads: Int) -> Bool {
        if n < 2 * threads { return true }
        if m < 2 * threads { return false }
        return m > n
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
