import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Memory the program has freed but the C allocator still holds: glibc's malloc keeps freed
/// pages in its arenas for reuse, so after a session drops a large array or many small values
/// the process's resident size stays where it was. The budget counts that as in use (it sees
/// arrays through the resident growth), and the system cannot have it back.
///
/// `returnToSystem()` gives it back (`malloc_trim(0)`); `returnIfGrown()` does so only when
/// the resident size has grown by `growthThreshold` since the last return, so that calling it
/// after every cell costs one read of `/proc/self/statm` in the common case.
///
/// ```swift
/// FreedMemory.returnIfGrown()  // after a cell
/// ```
public enum FreedMemory {
    /// The resident growth since the last return after which `returnIfGrown` returns memory.
    public static let growthThreshold = 64 << 20

    /// The resident size after the last return (or the lowest seen since).
    private static let residentAfterReturn = Atomic<Int>(0)

    /// Gives the allocator's free pages back to the system; returns whether there were any.
    @discardableResult
    public static func returnToSystem() -> Bool {
        #if canImport(Glibc)
            // `malloc_trim` is glibc's own (not in the Glibc module): looked up where it lives.
            guard let symbol = dlsym(nil, "malloc_trim") else { return false }
            let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
            let released = trim(0) != 0
            // The stack a deep call of this thread touched, too (`ThreadStack`).
            ThreadStack.releaseUnusedPages()
            residentAfterReturn.store(MemoryBudget.residentBytes() ?? 0, ordering: .relaxed)
            return released
        #else
            return false
        #endif
    }

    /// Gives the allocator's free pages back when the resident size has grown by
    /// `growthThreshold` since the last return; returns whether it tried.
    @discardableResult
    public static func returnIfGrown() -> Bool {
        guard let resident = MemoryBudget.residentBytes() else { return false }
        let last = residentAfterReturn.load(ordering: .relaxed)
        if resident < last {
            residentAfterReturn.store(resident, ordering: .relaxed)
            return false
        }
        guard resident - last >= growthThreshold else { return false }
        returnToSystem()
        return true
    }
}
