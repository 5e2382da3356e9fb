/// A request that the memory budget refused: how much was asked for, how much was already in
/// use and the limit.
public struct MemoryBudgetExceeded: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes requested (`Int.max` when the size itself overflowed).
    public var requestedBytes: Int
    /// The bytes in use when the request came.
    public var inUseBytes: Int
    /// The budget.
    public var limitBytes: Int

    /// Creates the error.
    public init(requestedBytes: Int, inUseBytes: Int, limitBytes: Int) {
        self.requestedBytes = requestedBytes
        self.inUseBytes = inUseBytes
        self.limitBytes = limitBytes
    }

    /// "this would allocate 6.1 GiB with 9.0 GiB already in use, beyond the memory budget of
    /// 11.8 GiB".
    public var description: String {
        let requested =
            requestedBytes == Int.max
            ? "more than the machine can address" : ByteCount(requestedBytes).description
        return "this would allocate \(requested) with \(ByteCount(inUseBytes)) already in use, "
            + "beyond the memory budget of \(ByteCount(limitBytes))"
    }
}
