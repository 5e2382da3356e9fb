import Foundation

/// The start-up step that keeps OpenBLAS off its generic kernels on a capable CPU (see
/// `BLASCorePolicy`). OpenBLAS reads `OPENBLAS_CORETYPE` only while it initializes, so the
/// switch re-runs that initialization in this process (its exported `gotoblas_dynamic_quit` and
/// `gotoblas_dynamic_init`, with the variable set for the moment of the call) before the first
/// product, instead of re-executing the program: it works the same in the kernel, `trainbook`,
/// the bench tools and the test runner. The new kernels then multiply a few small matrices
/// (every transpose combination, lengths that are not multiples of the vector width) that are
/// compared with a float64 reference; if they disagree, OpenBLAS's own choice is restored and a
/// line is logged.
struct BLASStartUp {
    /// What the start-up needs from the BLAS library (the real one is `OpenBLASLibrary`).
    struct Library {
        /// `openblas_get_corename()`.
        var coreName: () -> String
        /// Re-initializes the kernels for a core name, or with OpenBLAS's own detection for nil;
        /// nil when the library cannot switch (a build for one CPU, without DYNAMIC_ARCH).
        var reloadKernels: ((String?) -> Void)?
        /// The largest relative error of the self-check products against float64.
        var selfCheckError: () -> Double
    }

    /// The largest relative error (|c − reference| / Σ|aᵢ·bᵢ|) a float32 product may show.
    static let tolerance = 1e-5

    let library: Library
    /// Where a line explaining a refused switch goes (standard error in programs).
    let log: (String) -> Void

    /// Chooses, switches and checks; returns what runs now.
    ///
    /// - Parameters:
    ///   - features: the CPU's instruction-set extensions.
    ///   - userCoreType: the `OPENBLAS_CORETYPE` the user set, if any.
    func run(features: CPUFeatures, userCoreType: String?) -> BLASCoreSelection {
        let loaded = library.coreName()
        if let userCoreType, !userCoreType.isEmpty { return .user(core: loaded) }
        guard let target = BLASCorePolicy.replacement(for: loaded, features: features) else {
            return .openBLAS(core: loaded)
        }
        let reason: String
        if let reload = library.reloadKernels {
            reload(target)
            if library.coreName().lowercased() != target.lowercased() {
                reason = "this OpenBLAS does not know them"
            } else {
                let error = library.selfCheckError()
                // (A NaN error fails this comparison too.)
                if error <= Self.tolerance { return .switched(from: loaded, to: target) }
                reason = "they disagreed with a float64 reference product (relative error \(error))"
            }
            reload(nil)
        } else {
            reason = "this OpenBLAS was built for one CPU and cannot switch kernels"
        }
        let kept = library.coreName()
        log(
            "trainbook: OpenBLAS runs its generic \(kept) kernels although this CPU "
                + "(\(features.model)) could run \(target); \(target): \(reason).")
        return .kept(core: kept, rejected: target, reason: reason)
    }
}
