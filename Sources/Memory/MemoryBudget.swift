import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The memory a session may use, for tensors and for the cell language's own values alike.
///
/// Tensors `reserve` their storage and `release` it when it is freed (exact, tracked bytes).
/// The language's arrays and strings, which have no release hook, `check` before they grow:
/// they are seen in the growth of the process's resident memory since the budget was made.
/// Every request is checked against the larger of the two, so arrays and tensors together
/// cannot pass the limit.
///
/// The budget in force on a thread is `MemoryBudget.current`: a session installs its own for
/// each cell (`MemoryBudget.$current.withValue(budget) { … }`), and code outside any session
/// uses `MemoryBudget.process`.
///
/// ```swift
/// let budget = MemoryBudget(limit: 512 << 20)
/// try MemoryBudget.$current.withValue(budget) {
///     let big = try Tensor.zeros([1 << 20, 1024])  // throws: beyond 512 MiB
/// }
/// ```
public final class MemoryBudget: Sendable {
    /// The limit in bytes.
    public let limit: Int
    private let tracked = Atomic<Int>(0)
    private let baseline: Int
    private let measureResident: @Sendable () -> Int?
    /// Requests below this size are checked against tracked bytes only (reading the resident
    /// size costs a system call).
    static let residentCheckThreshold = 1 << 20

    /// A budget of `limit` bytes, whose resident growth counts from now.
    ///
    /// - Parameters:
    ///   - limit: the most bytes in use.
    ///   - measuringResidentBytes: how the process's resident size is read (tests give a
    ///     stand-in; by default `/proc/self/statm`).
    public init(
        limit: Int,
        measuringResidentBytes: @escaping @Sendable () -> Int? = MemoryBudget.residentBytes
    ) {
        self.limit = max(0, limit)
        self.measureResident = measuringResidentBytes
        self.baseline = measuringResidentBytes() ?? 0
    }

    /// The budget of the running cell, or `process` outside any session.
    @TaskLocal public static var current = MemoryBudget.process

    /// The budget of library code that runs outside any session (benchmarks, tools, tests).
    public static let process = MemoryBudget(limit: defaultLimit)

    /// Half the machine's memory, at most 16 GB: the default limit.
    public static let defaultLimit: Int = {
        #if canImport(Glibc)
            let pages = sysconf(Int32(_SC_PHYS_PAGES))
            let pageSize = sysconf(Int32(_SC_PAGESIZE))
            if pages > 0, pageSize > 0 {
                let (total, overflow) = pages.multipliedReportingOverflow(by: pageSize)
                if !overflow { return min(total / 2, 16 << 30) }
            }
        #endif
        return 4 << 30
    }()

    // MARK: - Accounting

    /// Bytes held by storage reserved from this budget and not yet released (tensors).
    public var trackedBytes: Int { tracked.load(ordering: .relaxed) }

    /// Bytes the process's resident memory has grown by since the budget was made.
    public var residentGrowth: Int {
        max(0, (measureResident() ?? baseline) - baseline)
    }

    /// Bytes in use: the larger of the tracked bytes and the resident growth.
    public var inUseBytes: Int { max(trackedBytes, residentGrowth) }

    /// Checks that `bytes` more may be allocated by something the budget does not track
    /// (an array, a string).
    ///
    /// - Throws: `MemoryBudgetExceeded` when they may not.
    public func check(_ bytes: Int) throws(MemoryBudgetExceeded) {
        guard bytes > 0 else { return }
        let inUse = bytes >= Self.residentCheckThreshold ? inUseBytes : trackedBytes
        guard bytes <= limit, inUse <= limit - bytes else {
            throw MemoryBudgetExceeded(requestedBytes: bytes, inUseBytes: inUse, limitBytes: limit)
        }
    }

    /// Checks `count` elements of `stride` bytes each, catching overflow of the product.
    ///
    /// - Throws: `MemoryBudgetExceeded` when they may not be allocated.
    public func check(count: Int, stride: Int) throws(MemoryBudgetExceeded) {
        let (bytes, overflow) = max(0, count).multipliedReportingOverflow(by: max(1, stride))
        if overflow {
            throw MemoryBudgetExceeded(
                requestedBytes: Int.max, inUseBytes: trackedBytes, limitBytes: limit)
        }
        try check(bytes)
    }

    /// Reserves `bytes` for storage that will be released with `release` (a tensor).
    ///
    /// - Throws: `MemoryBudgetExceeded` when that would pass the limit; nothing is reserved.
    public func reserve(_ bytes: Int) throws(MemoryBudgetExceeded) {
        guard bytes <= limit else {
            throw MemoryBudgetExceeded(
                requestedBytes: bytes, inUseBytes: trackedBytes, limitBytes: limit)
        }
        let after = tracked.add(bytes, ordering: .relaxed).newValue
        var inUse = after - bytes
        if bytes >= Self.residentCheckThreshold { inUse = max(inUse, residentGrowth) }
        if after > limit || inUse > limit - bytes {
            tracked.subtract(bytes, ordering: .relaxed)
            throw MemoryBudgetExceeded(requestedBytes: bytes, inUseBytes: inUse, limitBytes: limit)
        }
    }

    /// Reserves `bytes` without checking the limit (scalars and other tiny buffers).
    public func reserveUnchecked(_ bytes: Int) {
        tracked.add(bytes, ordering: .relaxed)
    }

    /// Returns `bytes` reserved earlier.
    public func release(_ bytes: Int) {
        tracked.subtract(bytes, ordering: .relaxed)
    }

    // MARK: - The process

    /// The process's resident memory in bytes, where the system tells it.
    ///
    /// `/proc/self/statm` stays open (one per process: a forked child opens its own), and is
    /// read again from its start: this runs after every cell, and opening the file each time
    /// was two more system calls on a `1+1` round trip.
    public static func residentBytes() -> Int? {
        #if canImport(Glibc)
            var buffer = [UInt8](repeating: 0, count: 128)
            let count = statm.withLock { state -> Int in
                let process = getpid()
                if state.process != process {
                    if state.descriptor >= 0 { close(state.descriptor) }
                    state = (process, open("/proc/self/statm", O_RDONLY | O_CLOEXEC))
                }
                guard state.descriptor >= 0 else { return -1 }
                return buffer.withUnsafeMutableBytes {
                    pread(state.descriptor, $0.baseAddress, 128, 0)
                }
            }
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

    #if canImport(Glibc)
        /// The open `/proc/self/statm` and the process that opened it.
        private static let statm = Mutex<(process: pid_t, descriptor: Int32)>((0, -1))
    #endif
}
