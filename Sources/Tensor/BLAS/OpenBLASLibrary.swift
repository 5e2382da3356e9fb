import COpenBLAS
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The OpenBLAS this process linked: its identity, and the operations `BLASStartUp` needs.
enum OpenBLASLibrary {
    /// `openblas_get_config()`: "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen …".
    static var configuration: String { String(cString: openblas_get_config()) }

    /// The version number from the configuration ("0.3.21"), or "unknown".
    static var version: String {
        let words = configuration.split(separator: " ")
        guard words.count > 1, words[0] == "OpenBLAS" else { return "unknown" }
        return String(words[1])
    }

    /// `openblas_get_corename()`: the kernel set in use ("Cooperlake", "Haswell", "Prescott").
    static var coreName: String { String(cString: openblas_get_corename()) }

    /// The real library for `BLASStartUp`.
    static var library: BLASStartUp.Library {
        BLASStartUp.Library(
            coreName: { coreName }, reloadKernels: kernelReloader(),
            selfCheckError: { selfCheckError() })
    }

    private typealias Entry = @convention(c) () -> Void

    /// Re-runs OpenBLAS's kernel detection with `OPENBLAS_CORETYPE` set to a core (nil: its own
    /// detection), through the entry points a DYNAMIC_ARCH build exports; nil without them.
    /// Must run before any other thread uses BLAS (the variable is set only for the call).
    static func kernelReloader() -> ((String?) -> Void)? {
        guard let process = dlopen(nil, RTLD_NOW),
            let quit = dlsym(process, "gotoblas_dynamic_quit"),
            let initialize = dlsym(process, "gotoblas_dynamic_init")
        else { return nil }
        let (quitEntry, initializeEntry) = (
            unsafeBitCast(quit, to: Entry.self), unsafeBitCast(initialize, to: Entry.self)
        )
        return { core in
            let variable = "OPENBLAS_CORETYPE"
            let previous = getenv(variable).map { String(cString: $0) }
            if let core { setenv(variable, core, 1) } else { unsetenv(variable) }
            quitEntry()
            initializeEntry()
            if let previous { setenv(variable, previous, 1) } else { unsetenv(variable) }
        }
    }

    /// The largest relative error of a few products through the current kernels against a
    /// float64 reference: every transpose combination, with sizes that are not multiples of 8
    /// or 16 floats, so the kernels' edge code runs too.
    static func selfCheckError() -> Double {
        var worst = 0.0
        for (index, (m, n, k)) in [(37, 29, 53), (67, 130, 41), (16, 8, 200)].enumerated() {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    let error = productError(
                        m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                        seed: index)
                    worst = max(worst, error.isNaN ? .infinity : error)
                }
            }
        }
        return worst
    }

    /// One product's largest relative error; operands are fixed pseudo-random values.
    private static func productError(
        m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, seed: Int
    ) -> Double {
        var state = UInt64(truncatingIfNeeded: 0x9E37_79B9_7F4A_7C15 &* UInt64(seed + 1))
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int(state >> 40) % 2001 - 1000) / 1000
        }
        let a = (0..<(m * k)).map { _ in next() }
        let b = (0..<(k * n)).map { _ in next() }
        var c = [Float](repeating: .nan, count: m * n)
        let (lda, ldb) = (transposeA ? m : k, transposeB ? k : n)
        c.withUnsafeMutableBufferPointer { output in
            cblas_sgemm(
                CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a,
                Int32(lda), b, Int32(ldb), 0, output.baseAddress, Int32(n))
        }
        var worst = 0.0
        for row in 0..<m {
            for column in 0..<n {
                var (sum, magnitude) = (0.0, 0.0)
                for inner in 0..<k {
                    let x = Double(transposeA ? a[inner * m + row] : a[row * k + inner])
                    let y = Double(transposeB ? b[column * k + inner] : b[inner * n + column])
                    sum += x * y
                    magnitude += abs(x * y)
                }
                let error = abs(Double(c[row * n + column]) - sum) / max(magnitude, 1e-30)
                worst = max(worst, error.isNaN ? .infinity : error)
            }
        }
        return worst
    }
}
