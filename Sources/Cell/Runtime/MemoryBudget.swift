#if canImport(Glibc)
    import Glibc
#endif

/// The memory a session's values may use. Operations that allocate in proportion to their
/// input (`Array(repeating:count:)`, string repetition, concatenation, library tensors) ask
/// `reserve` first, so an allocation beyond the budget is an error before it happens.
///
/// A request fails when it alone exceeds the budget, or, for large requests, when the
/// process's resident memory has already grown by more than the budget minus the request
/// since the session started.
public final class MemoryBudget: @unchecked Sendable {
    /// The budget in bytes.
    public let limit: Int
    private let baseline: Int
    private static let residentCheckThreshold = 1 << 20

    /// A budget of `limit` bytes, counted from the process's current resident memory.
    public init(limit: Int) {
        self.limit = max(0, limit)
        self.baseline = MemoryBudget.residentBytes() ?? 0
    }

    /// Checks that `bytes` more may be allocated.
    ///
    /// - Throws: `CellError.memoryBudget` when they may not.
    public func reserve(_ bytes: Int) throws(CellError) {
        guard bytes > 0 else { return }
        if bytes > limit { throw .memoryBudget(requestedBytes: bytes, budgetBytes: limit) }
        guard bytes >= MemoryBudget.residentCheckThreshold,
            let resident = MemoryBudget.residentBytes()
        else { return }
        let grown = max(0, resident - baseline)
        if grown > limit - bytes {
            throw .memoryBudget(requestedBytes: bytes, budgetBytes: limit)
        }
    }

    /// Checks `count` elements of `stride` bytes each, catching overflow of the product.
    public func reserve(count: Int, stride: Int) throws(CellError) {
        let (bytes, overflow) = max(0, count).multipliedReportingOverflow(by: max(1, stride))
        if overflow { throw .memoryBudget(requestedBytes: Int.max, budgetBytes: limit) }
        try reserve(bytes)
    }

    /// Half the machine's memory, at most 16 GB: the default budget.
    public static var defaultLimit: Int {
        #if canImport(Glibc)
            let pages = sysconf(Int32(_SC_PHYS_PAGES))
            let pageSize = sysconf(Int32(_SC_PAGESIZE))
            if pages > 0, pageSize > 0 {
                let (total, overflow) = pages.multipliedReportingOverflow(by: pageSize)
                if !overflow { return min(total / 2, 16 << 30) }
            }
        #endif
        return 4 << 30
    }

    /// The process's resident memory in bytes, where the system tells it.
    static func residentBytes() -> Int? {
        #if canImport(Glibc)
            let descriptor = open("/proc/self/statm", O_RDONLY)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var buffer = [UInt8](repeating: 0, count: 128)
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 128) }
            guard count > 0 else { return nil }
            let fields = String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: " ")
            guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
            let (bytes, overflow) = pages.multipliedReportingOverflow(
                by: sysconf(Int32(_SC_PAGESIZE)))
            return overflow ? nil : bytes
        #else
            return nil
        #endif
    }
}
