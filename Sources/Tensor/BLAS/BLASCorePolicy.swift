/// Which OpenBLAS kernel set ("core") a CPU should run. OpenBLAS picks its kernels from the
/// CPU's vendor, family and model when the library loads; a CPU model newer than the library
/// falls back to a generic core (Debian's 0.3.21 runs Sapphire Rapids Xeons on its SSE3
/// "Prescott" kernels, 4–5× slower). The policy replaces such a fallback by the kernels the CPU's
/// instruction set can run — SkylakeX (Cooperlake with BF16) for AVX-512, Haswell for AVX2 + FMA —
/// and otherwise keeps OpenBLAS's choice (on AMD Zen 4 it already picks Cooperlake, which
/// bench/blas measured fastest there).
enum BLASCorePolicy {
    /// The cores whose sgemm kernels use AVX2 or AVX-512: never replaced.
    static let vectorCores: Set<String> = [
        "haswell", "zen", "skylakex", "cooperlake", "sapphirerapids",
    ]

    /// The core to switch to, or nil to keep `loadedCore`.
    ///
    /// - Parameters:
    ///   - loadedCore: `openblas_get_corename()` as OpenBLAS chose it at load.
    ///   - features: the CPU's instruction-set extensions.
    static func replacement(for loadedCore: String, features: CPUFeatures) -> String? {
        guard !vectorCores.contains(loadedCore.lowercased()) else { return nil }
        if features.hasAVX512BF16 { return "Cooperlake" }
        if features.hasAVX512 { return "SkylakeX" }
        if features.hasAVX2 { return "Haswell" }
        return nil
    }
}
