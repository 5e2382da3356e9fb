#if canImport(Glibc)
    import Glibc
#endif

/// ISO 8601 UTC timestamps with microseconds, as headers carry them: "2024-05-01T12:34:56.789012Z".
enum Timestamp {
    /// The current time, formatted without Foundation (this runs for every message).
    static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = ""
        text.reserveCapacity(27)
        append(Int(parts.tm_year) + 1900, digits: 4, to: &text)
        text.append("-")
        append(Int(parts.tm_mon) + 1, digits: 2, to: &text)
        text.append("-")
        append(Int(parts.tm_mday), digits: 2, to: &text)
        text.append("T")
        append(Int(parts.tm_hour), digits: 2, to: &text)
        text.append(":")
        append(Int(parts.tm_min), digits: 2, to: &text)
        text.append(":")
        append(Int(parts.tm_sec), digits: 2, to: &text)
        text.append(".")
        append(Int(spec.tv_nsec) / 1000, digits: 6, to: &text)
        text.append("Z")
        return text
    }

    private static func append(_ value: Int, digits: Int, to text: inout String) {
        let decimal = String(value)
        if decimal.count < digits {
            text.append(String(repeating: "0", count: digits - decimal.count))
        }
        text.append(decimal)
    }
}
