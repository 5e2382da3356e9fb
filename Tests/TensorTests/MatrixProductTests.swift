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

    @Test(arguments: [(70, 90), (3, 300)], [false, true])
    func blocksEqualOneCall(shape: (m: Int, n: Int), transposeA: Bool) throws {
        // k makes m·n·k pass the parallel threshold; (3, 300) splits by columns.
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
}
