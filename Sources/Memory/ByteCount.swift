/// A byte count written for people, in binary units: `512 B`, `3.2 KiB`, `11.8 GiB`. The one
/// byte formatter of error messages and tables.
///
/// ```swift
/// ByteCount(64 << 20).description  // "64.0 MiB"
/// ```
public struct ByteCount: CustomStringConvertible, Sendable, Equatable {
    /// The count.
    public var bytes: Int

    /// A count of `bytes`.
    public init(_ bytes: Int) { self.bytes = bytes }

    /// "512 B", "1.5 MiB".
    public var description: String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes)
        var unit = 0
        while abs(value) >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        return "\((value * 10).rounded() / 10) \(units[unit])"
    }
}
