import CVectorKernels

/// The hot elementwise loops of training in C (`CVectorKernels`), each with a scalar, an AVX2
/// and an AVX-512 variant; the widest one the CPU and operating system support is chosen once,
/// from CPUID, when first used. Swift compiles for baseline x86-64 (SSE2, four floats per
/// instruction); these loops use eight or sixteen. Every variant computes the same bits as the
/// Swift loops they replace (same operations, same order, no fused multiply-add), so the
/// choice never changes a result.
///
/// `TRAINBOOK_SIMD=scalar|avx2|avx512` in the environment, or `level`, lowers the choice (never
/// above what the machine supports): to compare variants, or to keep 512-bit instructions off
/// a CPU that slows its clock for them.
///
/// ```swift
/// VectorKernels.level            // .avx512 on Zen 4 and AVX-512 Xeons, .avx2 on most others
/// VectorKernels.level = .avx2    // force the AVX2 variants
/// ```
public enum VectorKernels {
    /// The instruction sets a variant uses.
    public enum Level: Int, CaseIterable, Sendable, CustomStringConvertible {
        /// Baseline x86-64 (SSE2), as the compiler vectorizes plain loops.
        case scalar = 0
        /// AVX2: eight floats per instruction.
        case avx2 = 1
        /// AVX-512 F: sixteen floats per instruction.
        case avx512 = 2

        /// "scalar", "avx2" or "avx512" (the spelling `TRAINBOOK_SIMD` takes).
        public var description: String {
            switch self {
            case .scalar: "scalar"
            case .avx2: "avx2"
            case .avx512: "avx512"
            }
        }

        init(_ level: TBVectorLevel) {
            self = Level(rawValue: Int(level.rawValue)) ?? .scalar
        }

        var cLevel: TBVectorLevel { TBVectorLevel(rawValue: UInt32(rawValue)) }
    }

    /// The widest level this machine supports.
    public static var supportedLevel: Level { Level(tb_vector_supported_level()) }

    /// The level in use; setting it lowers a level the machine lacks to the supported one.
    public static var level: Level {
        get { Level(tb_vector_level()) }
        set { _ = tb_vector_select_level(newValue.cLevel) }
    }

    /// The levels this machine can run, narrowest first (for tests and benchmarks that compare
    /// them).
    public static var availableLevels: [Level] {
        Level.allCases.filter { $0.rawValue <= supportedLevel.rawValue }
    }

    /// One Adam step over `count` elements in place:
    /// m ← m + w₁·(g − m); v ← v + w₂·(g² − v); p ← p + scale·m / (√v + ε).
    ///
    /// ```swift
    /// VectorKernels.adamStep(
    ///     parameter: p, gradient: g, firstMoment: m, secondMoment: v, count: n,
    ///     firstWeight: 0.1, secondWeight: 0.001, scale: -1e-3, epsilon: 1e-8)
    /// ```
    public static func adamStep(
        parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>,
        count: Int, firstWeight: Float, secondWeight: Float, scale: Float, epsilon: Float
    ) {
        tb_adam_step(
            parameter, gradient, firstMoment, secondMoment, count, firstWeight, secondWeight,
            scale, epsilon)
    }

    /// `values[i] = max(values[i], 0)` in place, with NaN and −0 becoming +0 (Swift's
    /// `x > 0 ? x : 0`).
    public static func reluInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
        tb_relu_in_place(values, count)
    }

    /// `target[i] = output[i] > 0 ? gradient[i] : 0`: the ReLU's backward, read off its output.
    public static func reluBackward(
        gradient: UnsafePointer<Float>, output: UnsafePointer<Float>,
        into target: UnsafeMutablePointer<Float>, count: Int
    ) {
        tb_relu_backward(gradient, output, target, count)
    }

    /// `sums[c] += rows[r × columns + c]` for every row `r` in order: column sums accumulated
    /// into `sums` (a bias gradient).
    public static func addRows(
        _ rows: UnsafePointer<Float>, rowCount: Int, columns: Int,
        into sums: UnsafeMutablePointer<Float>
    ) {
        tb_add_rows(sums, rows, rowCount, columns)
    }

    /// Starts bringing `bytes` bytes at `address` into the caches without waiting for them
    /// (a prefetch per cache line): for memory read soon and known in advance, such as the next
    /// batch's rows.
    public static func prefetch(_ address: UnsafeRawPointer, bytes: Int) {
        tb_prefetch(address, max(0, bytes))
    }

    /// `target[i] = Float(bytes[i]) / divisor`, then `(· − mean) / deviation` when
    /// `normalization` is given: pixels as torchvision's `ToTensor` and `Normalize` make them.
    public static func bytesToFloats(
        _ bytes: UnsafePointer<UInt8>, into target: UnsafeMutablePointer<Float>, count: Int,
        divisor: Float, normalization: (mean: Float, deviation: Float)? = nil
    ) {
        tb_bytes_to_floats(
            bytes, target, count, divisor, normalization?.mean ?? 0,
            normalization?.deviation ?? 1, normalization == nil ? 0 : 1)
    }
}
