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
        return format(parts, microseconds: Int(spec.tv_nsec) / 1000)
    }

    /// `parts` and `microseconds` as "YYYY-MM-DDTHH:MM:SS.ffffffZ", written digit by digit
    /// into one buffer: formatting each field as a string of its own took 7,700 instructions
    /// a message, more than its JSON.
    static func format(_ parts: tm, microseconds: Int) -> String {
        let fields: [(value: Int, digits: Int, separator: UInt8)] = [
            (Int(parts.tm_year) + 1900, 4, UInt8(ascii: "-")),
            (Int(parts.tm_mon) + 1, 2, UInt8(ascii: "-")),
            (Int(parts.tm_mday), 2, UInt8(ascii: "T")),
            (Int(parts.tm_hour), 2, UInt8(ascii: ":")),
            (Int(parts.tm_min), 2, UInt8(ascii: ":")),
            (Int(parts.tm_sec), 2, UInt8(ascii: ".")),
            (microseconds, 6, UInt8(ascii: "Z")),
        ]
        return String(unsafeUninitializedCapacity: 32) { buffer in
            var index = 0
            for field in fields {
                // A year past 9999 keeps all of its digits, as `String(value)` would.
                let value = max(0, field.value)
                var digits = field.digits
                var limit = 1
                for _ in 0..<digits { limit = limit &* 10 }
                while value >= limit, digits < 19 {
                    digits += 1
                    limit = limit &* 10
                }
                guard index + digits + 1 <= buffer.count else { break }
                var rest = value
                var position = index + digits - 1
                while position >= index {
                    buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                    position -= 1
                }
                index += digits
                buffer[index] = field.separator
                index += 1
            }
            return index
        }
    }
}
