import Foundation

/// The x86-64 instruction-set extensions that decide which OpenBLAS kernels can run, as the
/// operating system reports them: Linux lists a CPUID feature in /proc/cpuinfo's `flags` only
/// when it also saves that feature's registers (an AVX-512 flag therefore means usable AVX-512).
///
/// ```swift
/// let features = CPUFeatures.current
/// features.hasAVX512  // true on Skylake-X, Sapphire Rapids, Zen 4
/// ```
public struct CPUFeatures: Sendable, Equatable {
    /// The CPU's model name ("AMD EPYC", "Intel(R) Xeon(R) Platinum 8488C"), or "unknown".
    public var model: String
    /// The feature flags, spelt as Linux spells them (`avx2`, `fma`, `avx512f`, `avx512_bf16`).
    public var flags: Set<String>

    /// Features from a model name and flags (a table in tests, /proc/cpuinfo in `current`).
    public init(model: String = "unknown", flags: Set<String>) {
        self.model = model
        self.flags = flags
    }

    /// AVX2 and FMA: what OpenBLAS's Haswell (and Zen) kernels need.
    public var hasAVX2: Bool { flags.contains("avx2") && flags.contains("fma") }

    /// AVX-512 F, BW, VL and DQ (with AVX2 and FMA): what OpenBLAS's SkylakeX kernels need.
    public var hasAVX512: Bool {
        hasAVX2 && ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(flags.contains)
    }

    /// AVX-512 BF16 as well: Cooper Lake and later Intel CPUs, AMD Zen 4.
    public var hasAVX512BF16: Bool { hasAVX512 && flags.contains("avx512_bf16") }

    /// The ones of the flags above this CPU has, for reports ("avx2 fma avx512f …").
    public var vectorFlags: [String] {
        ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_bf16"].filter(
            flags.contains)
    }

    /// This machine's features (read once from /proc/cpuinfo; none where it does not exist,
    /// which keeps OpenBLAS's own choice of kernels).
    public static let current: CPUFeatures = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
            return CPUFeatures(flags: [])
        }
        return CPUFeatures(cpuinfo: text)
    }()

    /// Features from the text of /proc/cpuinfo (its first processor's `model name` and `flags`).
    public init(cpuinfo: String) {
        var model = "unknown"
        var flags: Set<String> = []
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if key == "model name", model == "unknown" {
                model = parts[1].trimmingCharacters(in: .whitespaces)
            } else if key == "flags", flags.isEmpty {
                flags = Set(parts[1].split(separator: " ").map(String.init))
            }
        }
        self.init(model: model, flags: flags)
    }
}
