import Testing

@testable import Tensor

/// A product cut into blocks of rows or columns of C, each on its own thread, must equal the
/// single cblas_sgemm call, for every combination of transposes and with beta 0 or 1.
@Suite struct MatrixProductTests {
    /// C = op(A)·op(B) + beta·C for [m, k]·[k, n] operands stored transposed or not.
    func product(
        m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Float, threads: Int
    ) throws -> [Float] {
        let a = try sample(transposeA ? [k, m] : [m, k], seed: 401)
        let b = try sample(transposeB ? [n, k] : [k, n], seed: 402)
        let c = try sample([m, n], seed: 403)
        MatrixProduct(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a.floats,
            lda: transposeA ? m : k, b: b.floats, ldb: transposeB ? k : n, c: c.floats, ldc: n,
            beta: beta
        ).run(threads: threads)
        return c.scalars
    }

    @Test(arguments: [(70, 90), (90, 70), (3, 300), (300, 3)], [false, true])
    func blocksEqualOneCall(shape: (m: Int, n: Int), transposeA: Bool) throws {
        // k makes m·n·k pass the parallel threshold; (70, 90) and (3, 300) split by columns,
        // (90, 70) and (300, 3) by rows.
        let k = MatrixProduct.minimumParallelWork / (shape.m * shape.n) + 1
        for transposeB in [false, true] {
            for beta: Float in [0, 1] {
                let one = try product(
                    m: shape.m, n: shape.n, k: k, transposeA: transposeA,
                    transposeB: transposeB, beta: beta, threads: 1)
                let split = try product(
                    m: shape.m, n: shape.n, k: k, transposeA: transposeA,
                    transposeB: transposeB, beta: beta, threads: 3)
                expectClose(split, one, tolerance: 1e-5)
            }
        }
    }

    @Test func onOneCoreOfSiblingsAProductRunsWholeWithTheSameResult() throws {
        let (m, n, k) = (64, 64, MatrixProduct.minimumParallelWork / (64 * 64) + 1)
        let a = try sample([m, k], seed: 411)
        let b = try sample([k, n], seed: 412)
        let whole = try Tensor.zeros([m, n])
        let siblings = try Tensor.zeros([m, n])
        for (c, cores) in [(whole, 8), (siblings, 1)] {
            MatrixProduct(
                transposeA: false, transposeB: false, m: m, n: n, k: k, a: a.floats, lda: k,
                b: b.floats, ldb: n, c: c.floats, ldc: n, beta: 0
            ).run(threads: 2, cores: cores)
        }
        expectClose(siblings.scalars, whole.scalars, tolerance: 1e-5)
    }

    @Test func theCutRepacksTheSmallerOperand() {
        // The MLP's x·W1ᵀ and weight gradient, and the CNN dense layer's, by columns.
        #expect(!MatrixProduct.splitsRows(m: 128, n: 128, threads: 2))
        #expect(!MatrixProduct.splitsRows(m: 128, n: 784, threads: 2))
        #expect(!MatrixProduct.splitsRows(m: 128, n: 1600, threads: 2))
        // Many rows and few columns: op(B) is the smaller operand.
        #expect(MatrixProduct.splitsRows(m: 1024, n: 128, threads: 2))
        // A dimension too short to cut leaves the other.
        #expect(MatrixProduct.splitsRows(m: 128, n: 3, threads: 2))
        #expect(!MatrixProduct.splitsRows(m: 3, n: 300, threads: 2))
    }

    /// The same product through `runInTiles` with tiny tiles (and `threads` per tile).
    func tiledProduct(
        m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, beta: Float,
        interruptAfter checks: Int = .max
    ) throws -> (c: [Float], checks: Int, interrupted: Bool) {
        let a = try sample(transposeA ? [k, m] : [m, k], seed: 401)
        let b = try sample(transposeB ? [n, k] : [k, n], seed: 402)
        let c = try sample([m, n], seed: 403)
        var count = 0
        var interrupted = false
        do {
            try MatrixProduct(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a.floats,
                lda: transposeA ? m : k, b: b.floats, ldb: transposeB ? k : n, c: c.floats,
                ldc: n, beta: beta
            ).runInTiles(threads: 2, maximumWork: 200, minimumSide: 3) {
                count += 1
                return count > checks
            }
        } catch {
            #expect(error == .interrupted)
            interrupted = true
        }
        return (c.scalars, count, interrupted)
    }

    @Test(arguments: [false, true], [false, true])
    func tilesEqualOneCall(transposeA: Bool, transposeB: Bool) throws {
        for beta: Float in [0, 1] {
            let one = try product(
                m: 13, n: 11, k: 17, transposeA: transposeA, transposeB: transposeB, beta: beta,
                threads: 1)
            let tiled = try tiledProduct(
                m: 13, n: 11, k: 17, transposeA: transposeA, transposeB: transposeB, beta: beta)
            #expect(tiled.checks > 8)
            #expect(!tiled.interrupted)
            expectClose(tiled.c, one, tolerance: 1e-5)
        }
    }

    @Test func anInterruptStopsBetweenTiles() throws {
        let stopped = try tiledProduct(
            m: 13, n: 11, k: 17, transposeA: false, transposeB: false, beta: 0,
            interruptAfter: 2)
        #expect(stopped.interrupted)
        #expect(stopped.checks == 3)
    }

    @Test func tilesAreCutOnlyForLongProductsAndNeverThin() {
        let side = { (m: Int, n: Int, k: Int, axis: Int) in
            MatrixProduct.tileSide(
                m, n, k, axis: axis, maximumWork: MatrixProduct.maximumTileWork,
                minimumSide: MatrixProduct.minimumTileSide)
        }
        // A training-sized product stays whole.
        #expect([0, 1, 2].map { side(256, 784, 512, $0) } == [256, 784, 512])
        // Two 12000² matrices: 1500³ tiles, 3.4e9 multiply-adds each.
        #expect([0, 1, 2].map { side(12_000, 12_000, 12_000, $0) } == [1500, 1500, 1500])
        // A thin, very long product is cut only along its long side.
        #expect([0, 1, 2].map { side(8, 8, 1 << 40, $0) } == [8, 8, 1 << 26])
    }

    @Test func aBoundInterruptSourceStopsALongMatmul() throws {
        struct Raised: InterruptSource { var isRaised: Bool { true } }
        let a = try Tensor.ones([2048, 1024])
        let b = try Tensor.ones([1024, 2048 + 1024])
        // 2048 · 3072 · 1024 multiply-adds pass 2^32: tiles, so the raised source is seen.
        #expect(throws: TensorError.interrupted) {
            try Interruption.$source.withValue(Raised()) { _ = try a.matmul(b) }
        }
        #expect(try a.matmul(b).scalars.first == 1024)
    }
}
