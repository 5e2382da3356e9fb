import Foundation

/// The BLAS every matrix product runs on: which library, version and kernels, and how many
/// threads. The first product (or `BLAS.startUp()`, which programs call first thing) runs
/// `BLASStartUp` once, so no product ever runs on OpenBLAS's generic kernels when the CPU can
/// run vector ones.
///
/// ```swift
/// BLAS.startUp()
/// print(BLAS.description)  // OpenBLAS 0.3.21, kernels Cooperlake (OpenBLAS's choice), …
/// ```
public enum BLAS {
    /// The library's name.
    public static let library = "OpenBLAS"

    /// The library's version ("0.3.21").
    public static var version: String { OpenBLASLibrary.version }

    /// The library's build configuration (`openblas_get_config()`).
    public static var configuration: String { OpenBLASLibrary.configuration }

    /// How the kernels in use were chosen (runs the start-up if it has not run).
    public static var selection: BLASCoreSelection { startedSelection }

    private static let startedSelection: BLASCoreSelection = {
        let startUp = BLASStartUp(library: OpenBLASLibrary.library, log: logToStandardError)
        return startUp.run(
            features: .current,
            userCoreType: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"])
    }()

    /// Chooses the kernels (once; later calls return at once). Call before starting threads
    /// that use BLAS; every product also calls it.
    @discardableResult
    public static func startUp() -> BLASCoreSelection { startedSelection }

    /// Rehearses the start-up's fallback path on real hardware: loads OpenBLAS's `core` kernels
    /// as if it had chosen them when it loaded, then chooses, switches and self-checks as the
    /// start-up does (ignoring `OPENBLAS_CORETYPE`). On a CPU OpenBLAS knows, this is how the
    /// switch away from a generic core is exercised (`trainbook-bench blas --rehearse-from
    /// Prescott`). Call it before any other BLAS use in the process, from one thread.
    ///
    /// - Returns: what runs afterwards; `.kept` with a reason when the switch was undone.
    public static func rehearseStartUp(from core: String) -> BLASCoreSelection {
        let library = OpenBLASLibrary.library
        library.reloadKernels?(core)
        let startUp = BLASStartUp(library: library, log: logToStandardError)
        return startUp.run(features: .current, userCoreType: nil)
    }

    /// Where the start-up's one line about a refused switch goes in programs.
    private static func logToStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Library, version, kernels and threads in one line, for `%blas`, the kernel banner and
    /// bench reports.
    public static var description: String {
        "\(library) \(version), kernels \(selection.summary), CPU \(CPUFeatures.current.model) "
            + "[\(CPUFeatures.current.vectorFlags.joined(separator: " "))], "
            + "threads: Trainbook \(Parallelism.threadCount), OpenBLAS \(Parallelism.blasThreadCount)"
    }
}
