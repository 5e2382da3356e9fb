#if canImport(Glibc)
    import Glibc
#endif

/// The stack of the calling thread, whose pages stay resident after the deepest call that
/// touched them has returned: a cell recursing 9,000 levels deep leaves about 24 MiB of the
/// evaluation thread's stack in the process's resident size for good (measured on the release
/// kernel), and `%reset` cannot free it as it frees values. `releaseUnusedPages()` gives the
/// pages below the current frame back to the system (`madvise(MADV_DONTNEED)`: they read as
/// zeros when a later call touches them again, as fresh stack pages do).
///
/// ```swift
/// ThreadStack.releaseUnusedPages()  // after a deep recursion has returned
/// ```
public enum ThreadStack {
    /// Bytes kept below the current frame: the frames of the calls this function makes, and
    /// x86-64's red zone, are never released.
    static let margin = 256 << 10

    /// The calling thread's stack: its lowest address and its size, or nil where the system
    /// does not say.
    static func bounds() -> (low: UInt, size: Int)? {
        #if canImport(Glibc)
            // A GNU extension the Glibc module does not export: looked up where it lives.
            guard let symbol = dlsym(nil, "pthread_getattr_np") else { return nil }
            let getAttributes = unsafeBitCast(
                symbol,
                to: (@convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32)
                    .self)
            var attributes = pthread_attr_t()
            guard getAttributes(pthread_self(), &attributes) == 0 else { return nil }
            defer { pthread_attr_destroy(&attributes) }
            var address: UnsafeMutableRawPointer?
            var size = 0
            guard pthread_attr_getstack(&attributes, &address, &size) == 0, let address else {
                return nil
            }
            return (UInt(bitPattern: address), size)
        #else
            return nil
        #endif
    }

    /// The unused part of the calling thread's stack (below the current frame, less
    /// `margin`), as whole pages; nil when there is none or the stack is unknown.
    static func unusedRange() -> Range<UInt>? {
        guard let (low, _) = bounds() else { return nil }
        let page = UInt(pageSize)
        var marker = 0
        let current = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        guard current > low + UInt(margin) else { return nil }
        let start = (low + page - 1) / page * page
        let end = (current - UInt(margin)) / page * page
        return start < end ? start..<end : nil
    }

    /// Gives the pages of the calling thread's stack below the current frame back to the
    /// system; returns the bytes of the range released (resident or not), 0 when it could not.
    @discardableResult
    public static func releaseUnusedPages() -> Int {
        #if canImport(Glibc)
            guard let range = unusedRange(),
                let start = UnsafeMutableRawPointer(bitPattern: range.lowerBound)
            else { return 0 }
            let length = Int(range.upperBound - range.lowerBound)
            return madvise(start, length, Int32(MADV_DONTNEED)) == 0 ? length : 0
        #else
            return 0
        #endif
    }

    /// Bytes of the calling thread's stack below the current frame that are resident now
    /// (`mincore`), 0 where the system does not say.
    public static func residentUnusedBytes() -> Int {
        #if canImport(Glibc)
            guard let range = unusedRange(),
                let start = UnsafeMutableRawPointer(bitPattern: range.lowerBound)
            else { return 0 }
            let length = Int(range.upperBound - range.lowerBound)
            let pages = length / pageSize
            var residency = [UInt8](repeating: 0, count: pages)
            guard mincore(start, length, &residency) == 0 else { return 0 }
            return residency.reduce(0) { $0 + Int($1 & 1) } * pageSize
        #else
            return 0
        #endif
    }

    private static var pageSize: Int {
        #if canImport(Glibc)
            return Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
            return 4096
        #endif
    }
}
