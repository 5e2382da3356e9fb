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
    /// Hardware threads per physical core as the system reports them (2 where the logical CPUs
    /// are hyperthread siblings sharing one core's execution units; 1 when unknown).
    public var threadsPerCore: Int

    /// Features from a model name and flags (a table in tests, /proc/cpuinfo in `current`).
    public init(model: String = "unknown", flags: Set<String>, threadsPerCore: Int = 1) {
        self.model = model
        self.flags = flags
        self.threadsPerCore = max(1, threadsPerCore)
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

    /// Features from the text of /proc/cpuinfo (its first processor's `model name`, `flags`,
    /// and `siblings` over `cpu cores`: the logical CPUs of its package over its physical
    /// cores, 2 with hyperthreading).
    public init(cpuinfo: String) {
        var model = "unknown"
        var flags: Set<String> = []
        var siblings: Int?
        var cores: Int?
        var inBlock = false
        // Only the first processor's block is read: on a machine with many CPUs the file is
        // long, and splitting and trimming all of it was 6% of the kernel's start on 2 CPUs.
        // Lines are found on the UTF-8 bytes, one at a time, up to the block's blank line:
        // splitting by Character was 1.1 million of the parse's 1.8 million instructions
        // (callgrind, 2 CPUs), on the kernel's main thread.
        let bytes = cpuinfo.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            let line = cpuinfo[start..<end]
            start = end < bytes.endIndex ? bytes.index(after: end) : end
            guard let colon = line.firstIndex(of: ":") else {
                if inBlock, line.allSatisfy(\.isWhitespace) { break }
                continue
            }
            inBlock = true
            let key = Self.trimmed(line[..<colon])
            let value = Self.trimmed(line[line.index(after: colon)...])
            if key == "model name", model == "unknown" {
                model = String(value)
            } else if key == "flags", flags.isEmpty {
                flags = Set(value.split(separator: " ").map(String.init))
            } else if key == "siblings", siblings == nil {
                siblings = Int(value)
            } else if key == "cpu cores", cores == nil {
                cores = Int(value)
            }
        }
        var threadsPerCore = 1
        if let siblings, let cores, cores > 0, siblings >= cores {
            threadsPerCore = siblings / cores
        }
        self.init(model: model, flags: flags, threadsPerCore: threadsPerCore)
    }

    /// `text` without the spaces and tabs around it.
    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
