import BenchSupport
import COpenBLAS
import Foundation
import Tensor

/// One large square product two ways, alternated three times in one run: `Tensor.matmul`,
/// which runs a product this long as tiles of C and of the inner dimension with an interrupt
/// check between them, and one bare `cblas_sgemm` call on the same number of threads. Their
/// ratio is what the tiles cost.
enum LargeProduct {
    static func measure(size: Int) throws -> JSONLine {
        var line = JSONLine()
        line.add("event", "large_product")
        line.add("size", size)
        line.add("threads", Parallelism.threadCount)
        let a = try Tensor.ones([size, size])
        let b = try Tensor.ones([size, size])
        let left = [Float](repeating: 1, count: size * size)
        let right = [Float](repeating: 1, count: size * size)
        var output = [Float](repeating: 0, count: size * size)
        var tiled: [Double] = []
        var bare: [Double] = []
        let dimension = Int32(size)
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let product = try a.matmul(b)
            tiled.append(secondsSince(start))
            withExtendedLifetime(product) {}
            let bareStart = ContinuousClock.now
            output.withUnsafeMutableBufferPointer { c in
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, dimension, dimension, dimension, 1,
                    left, dimension, right, dimension, 0, c.baseAddress, dimension)
            }
            bare.append(secondsSince(bareStart))
        }
        let best = (tiled: tiled.min() ?? 0, bare: bare.min() ?? 0)
        line.add("matmul_seconds", best.tiled)
        line.add("sgemm_seconds", best.bare)
        line.add("ratio", best.bare > 0 ? best.tiled / best.bare : 0)
        return line
    }
}
