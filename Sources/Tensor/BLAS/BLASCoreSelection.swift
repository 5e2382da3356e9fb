/// How the kernel set OpenBLAS runs came to be chosen at start-up (see `BLASStartUp`).
public enum BLASCoreSelection: Sendable, Equatable {
    /// OpenBLAS's own choice at load, kept: a vector core, or a CPU without AVX2.
    case openBLAS(core: String)
    /// The user's `OPENBLAS_CORETYPE`, which always wins.
    case user(core: String)
    /// OpenBLAS fell back to a generic core on a CPU that can run `core`; switched, and the
    /// self-check agreed with the reference.
    case switched(from: String, to: String)
    /// The switch to `rejected` was undone (`reason` says why); OpenBLAS runs `core` again.
    case kept(core: String, rejected: String, reason: String)

    /// The kernel set in use.
    public var core: String {
        switch self {
        case .openBLAS(let core), .user(let core), .kept(let core, _, _): core
        case .switched(_, let to): to
        }
    }

    /// One line for `%blas`, the kernel banner and bench reports.
    public var summary: String {
        switch self {
        case .openBLAS(let core): "\(core) (OpenBLAS's choice)"
        case .user(let core): "\(core) (OPENBLAS_CORETYPE)"
        case .switched(let from, let to): "\(to) (OpenBLAS chose its generic \(from) kernels)"
        case .kept(let core, let rejected, let reason):
            "\(core) (the \(rejected) kernels were not used: \(reason))"
        }
    }
}
