/// Something that says whether running work has been asked to stop (a cell's interrupt flag).
public protocol InterruptSource: Sendable {
    /// Whether an interrupt is pending. Read from the thread doing the work; must be cheap.
    var isRaised: Bool { get }
}

/// The interrupt that long tensor operations check between their blocks, so a stop request
/// ends even one huge matrix product within a fraction of a second.
///
/// The source is bound for the duration of a piece of work (a cell), not stored globally:
///
/// ```swift
/// try Interruption.$source.withValue(flag) {
///     _ = try a.matmul(b)   // throws TensorError.interrupted soon after flag.raise()
/// }
/// ```
public enum Interruption {
    /// The source checked by the work running in this scope; nil checks nothing.
    @TaskLocal public static var source: (any InterruptSource)?

    /// Whether the bound source has been raised.
    @inline(__always)
    static var isRequested: Bool { source?.isRaised ?? false }

    /// Throws `TensorError.interrupted` when the bound source has been raised.
    public static func check() throws(TensorError) {
        if isRequested { throw .interrupted }
    }
}
