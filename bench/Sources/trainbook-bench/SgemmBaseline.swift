import COpenBLAS
import Foundation

/// The bare `cblas_sgemm` time of one MLP training epoch: the same matrix products the MLP's
/// forward and backward passes make (784→128→10, batch `batchSize`, 60,000 examples), on
/// preallocated buffers, with nothing else. The floor the training loop is compared with.
enum SgemmBaseline {
    /// One product C[m×n] = op(A)·op(B), as the MLP makes it.
    struct Product {
        let transposeA: Bool
        let transposeB: Bool
        let m: Int32
        let n: Int32
        let k: Int32
    }

    /// The products of one MLP batch of `batch` examples: forward through both layers, then
    /// the weight gradients of both layers and the gradient flowing into the hidden layer.
    static func mlpProducts(batch: Int32) -> [Product] {
        [
            Product(transposeA: false, transposeB: true, m: batch, n: 128, k: 784),  // x·W1ᵀ
            Product(transposeA: false, transposeB: true, m: batch, n: 10, k: 128),  // h·W2ᵀ
            Product(transposeA: true, transposeB: false, m: 10, n: 128, k: batch),  // dW2
            Product(transposeA: false, transposeB: false, m: batch, n: 128, k: 10),  // dh
            Product(transposeA: true, transposeB: false, m: 128, n: 784, k: batch),  // dW1
        ]
    }

    /// Seconds for one epoch of `examples` examples in batches of `batchSize`.
    static func mlpEpochSeconds(examples: Int, batchSize: Int) -> Double {
        let full = examples / batchSize
        let rest = examples % batchSize
        var seconds = time(mlpProducts(batch: Int32(batchSize)), repeats: full)
        if rest > 0 { seconds += time(mlpProducts(batch: Int32(rest)), repeats: 1) }
        return seconds
    }

    private static func time(_ products: [Product], repeats: Int) -> Double {
        let buffers = products.map { product in
            (
                a: [Float](repeating: 0.01, count: Int(product.m * product.k)),
                b: [Float](repeating: 0.02, count: Int(product.k * product.n)),
                c: [Float](repeating: 0, count: Int(product.m * product.n))
            )
        }
        var outputs = buffers.map(\.c)
        let start = ContinuousClock.now
        for _ in 0..<repeats {
            for (index, product) in products.enumerated() {
                let lda = product.transposeA ? product.m : product.k
                let ldb = product.transposeB ? product.k : product.n
                outputs[index].withUnsafeMutableBufferPointer { c in
                    cblas_sgemm(
                        CblasRowMajor, product.transposeA ? CblasTrans : CblasNoTrans,
                        product.transposeB ? CblasTrans : CblasNoTrans, product.m, product.n,
                        product.k, 1, buffers[index].a, lda, buffers[index].b, ldb, 0,
                        c.baseAddress, product.n)
                }
            }
        }
        return secondsSince(start)
    }
}
