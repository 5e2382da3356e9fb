import COpenBLAS
import Testing

@testable import Tensor

/// A BLAS library whose core names and self-check are a table: what `BLASStartUp` would do on
/// CPUs and OpenBLAS builds this machine is not.
private final class FakeLibrary {
    let loadedCore: String
    let known: Set<String>
    let checkError: Double
    let canSwitch: Bool
    var core: String
    var reloads: [String?] = []
    var checks = 0

    init(
        loadedCore: String, known: Set<String> = ["Haswell", "SkylakeX", "Cooperlake"],
        checkError: Double = 1e-7, canSwitch: Bool = true
    ) {
        (self.loadedCore, self.known, self.checkError, self.canSwitch) = (
            loadedCore, known, checkError, canSwitch
        )
        core = loadedCore
    }

    var library: BLASStartUp.Library {
        BLASStartUp.Library(
            coreName: { self.core },
            reloadKernels: canSwitch
                ? { requested in
                    self.reloads.append(requested)
                    // OpenBLAS falls back to its own detection for a name it does not know.
                    self.core =
                        requested.flatMap { self.known.contains($0) ? $0 : nil }
                        ?? self.loadedCore
                } : nil,
            selfCheckError: {
                self.checks += 1
                return self.checkError
            })
    }
}

private let avx512 = CPUFeatures(
    model: "Intel(R) Xeon(R) Platinum 8488C",
    flags: ["sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"])
private let avx512BF16 = CPUFeatures(
    model: "Intel(R) Xeon(R) Platinum 8488C", flags: avx512.flags.union(["avx512_bf16"]))
private let avx2 = CPUFeatures(model: "Intel(R) Core(TM) i7-4770", flags: ["avx", "avx2", "fma"])
private let sse = CPUFeatures(model: "Intel(R) Pentium(R) 4", flags: ["sse2", "sse3"])

@Suite struct BLASStartUpTests {
    private func run(
        _ fake: FakeLibrary, _ features: CPUFeatures, user: String? = nil
    ) -> (BLASCoreSelection, [String]) {
        var lines: [String] = []
        let selection = BLASStartUp(library: fake.library) { lines.append($0) }.run(
            features: features, userCoreType: user)
        return (selection, lines)
    }

    @Test(arguments: [
        ("Prescott", avx512, "SkylakeX"), ("Prescott", avx512BF16, "Cooperlake"),
        ("Nehalem", avx2, "Haswell"), ("Core2", avx512, "SkylakeX"),
        ("Sandybridge", avx2, "Haswell"),
    ])
    func aGenericCoreOnAVectorCPUIsReplaced(loaded: String, features: CPUFeatures, wanted: String) {
        let fake = FakeLibrary(loadedCore: loaded)
        let (selection, lines) = run(fake, features)
        #expect(selection == .switched(from: loaded, to: wanted))
        #expect(fake.core == wanted)
        #expect(fake.reloads == [wanted])
        #expect(fake.checks == 1)
        #expect(lines.isEmpty)
        #expect(selection.summary.contains("generic \(loaded)"))
    }

    @Test(arguments: [
        ("Cooperlake", avx512BF16), ("Zen", avx512), ("Haswell", avx2), ("Prescott", sse),
    ])
    func openBLASsOwnChoiceStandsWhenItIsAVectorCoreOrTheCPUHasNoAVX2(
        loaded: String, features: CPUFeatures
    ) {
        let fake = FakeLibrary(loadedCore: loaded)
        let (selection, lines) = run(fake, features)
        #expect(selection == .openBLAS(core: loaded))
        #expect(fake.reloads.isEmpty)
        #expect(lines.isEmpty)
    }

    @Test func theUsersCoreTypeWinsEvenWhenGeneric() {
        let fake = FakeLibrary(loadedCore: "Prescott")
        let (selection, lines) = run(fake, avx512, user: "Prescott")
        #expect(selection == .user(core: "Prescott"))
        #expect(selection.summary == "Prescott (OPENBLAS_CORETYPE)")
        #expect(fake.reloads.isEmpty)
        #expect(lines.isEmpty)
    }

    @Test func aDisagreeingSelfCheckRestoresOpenBLASsChoiceAndLogs() {
        let fake = FakeLibrary(loadedCore: "Prescott", checkError: 3e-2)
        let (selection, lines) = run(fake, avx512)
        guard case .kept(let core, let rejected, let reason) = selection else {
            Issue.record("expected the switch to be undone, got \(selection)")
            return
        }
        #expect(core == "Prescott" && rejected == "SkylakeX")
        #expect(reason.contains("disagreed") && reason.contains("0.03"))
        #expect(fake.core == "Prescott")
        #expect(fake.reloads == ["SkylakeX", nil])
        #expect(lines.count == 1)
        #expect(lines.first?.contains("Platinum 8488C") == true)
    }

    @Test func aNaNSelfCheckCountsAsDisagreement() {
        let fake = FakeLibrary(loadedCore: "Prescott", checkError: .nan)
        #expect(run(fake, avx2).0.core == "Prescott")
    }

    @Test func anUnknownCoreNameIsUndone() {
        let fake = FakeLibrary(loadedCore: "Prescott", known: ["Haswell"])
        let (selection, lines) = run(fake, avx512)
        #expect(
            selection
                == .kept(
                    core: "Prescott", rejected: "SkylakeX",
                    reason: "this OpenBLAS does not know them"))
        #expect(fake.checks == 0)
        #expect(fake.reloads == ["SkylakeX", nil])
        #expect(lines.count == 1)
    }

    @Test func aLibraryThatCannotSwitchIsLoggedAndKept() {
        let fake = FakeLibrary(loadedCore: "Nehalem", canSwitch: false)
        let (selection, lines) = run(fake, avx2)
        #expect(selection.core == "Nehalem")
        #expect(lines.first?.contains("cannot switch") == true)
    }

    @Test func cpuinfoIsReadForModelAndFlags() {
        let text = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 9R14
            flags\t\t: fpu sse2 avx2 fma avx512f avx512bw avx512vl avx512dq avx512_bf16

            processor\t: 1
            model name\t: other
            flags\t\t: fpu
            """
        let features = CPUFeatures(cpuinfo: text)
        #expect(features.model == "AMD EPYC 9R14")
        #expect(features.hasAVX512BF16)
        #expect(features.vectorFlags.count == 7)
        #expect(!CPUFeatures(cpuinfo: "").hasAVX2)
    }

    // MARK: - The real library

    @Test func theLinkedOpenBLASPassesTheSelfCheckAndIsDescribed() {
        BLAS.startUp()
        #expect(OpenBLASLibrary.selfCheckError() <= BLASStartUp.tolerance)
        #expect(BLAS.selection.core == String(cString: openblas_get_corename()))
        #expect(
            BLAS.description.hasPrefix("OpenBLAS \(BLAS.version), kernels \(BLAS.selection.core)"))
        #expect(BLAS.description.contains("threads: Trainbook"))
        #expect(BLAS.version.split(separator: ".").count == 3)
        if BLAS.configuration.contains("DYNAMIC_ARCH") {
            #expect(OpenBLASLibrary.kernelReloader() != nil)
        }
    }
}
