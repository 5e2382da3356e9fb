/// When a sparse × dense product (`Tensor.sparseLinear`) beats the dense one (`Tensor.linear`,
/// OpenBLAS sgemm): a rule calibrated by measurement (`trainbook-sparse --calibrate`, the
/// bench's "sparse-product"), not a guess.
///
/// The sparse product does work proportional to the stored entries, single-threaded and
/// without sgemm's register blocking; the dense one does all entries at BLAS speed. So the
/// sparse product wins only at low density, and by less as the batch grows (sgemm reuses each
/// weight across more rows).
///
/// Calibration (AMD EPYC, Zen 4 with AVX-512, 2 cores, shared with parallel builds — load
/// average about 20 — medians of 41 alternating calls, 1 and 2 threads): for the tutorial
/// MLP's 784→128 weight the sparse product is faster from about 93% sparsity at batch 1 (1.7×
/// at 95%, 5× at 99%) and from about 95–97% at batch 256 (1.4× at 99%); a 1024×1024 weight
/// breaks even at lower sparsity. The break-even densities below take the lower (safer) value.
///
/// ```swift
/// SparseProductRule.prefersSparse(density: 0.01, batch: 1, outputs: 128)   // true
/// ```
public enum SparseProductRule {
    /// The highest density at which the sparse product can win at any batch size.
    public static let maximumDensity = 0.07

    /// The largest density at which the sparse product is faster, by the smallest batch size
    /// it applies from: measured break-even points (see above).
    static let breakEven: [(batch: Int, density: Double)] = [
        (1, 0.07), (8, 0.05), (64, 0.04), (256, 0.03),
    ]

    /// Whether the sparse product is expected to be faster for a weight of this density and
    /// a batch of this size.
    ///
    /// - Parameters:
    ///   - density: The share of stored entries.
    ///   - batch: The number of input rows.
    ///   - outputs: The number of weight rows (tiny layers stay dense: nothing to gain).
    public static func prefersSparse(density: Double, batch: Int, outputs: Int) -> Bool {
        guard outputs >= 16, batch >= 1, density <= maximumDensity else { return false }
        let limit = breakEven.last { $0.batch <= batch }?.density ?? maximumDensity
        return density <= limit
    }
}
