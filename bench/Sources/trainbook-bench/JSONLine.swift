import Foundation

/// One line of machine-readable output: a flat JSON object with keys in the given order.
struct JSONLine {
    private var fields: [String] = []

    /// Adds a string field.
    mutating func add(_ key: String, _ value: String) {
        fields.append("\(quoted(key)):\(quoted(value))")
    }

    /// Adds a number field (non-finite numbers become null).
    mutating func add(_ key: String, _ value: Double) {
        fields.append("\(quoted(key)):\(value.isFinite ? String(value) : "null")")
    }

    /// Adds an integer field.
    mutating func add(_ key: String, _ value: Int) {
        fields.append("\(quoted(key)):\(value)")
    }

    /// Writes the object and a newline to standard output, flushed.
    func print() {
        FileHandle.standardOutput.write(Data(("{" + fields.joined(separator: ",") + "}\n").utf8))
    }

    private func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default:
                if scalar.value < 0x20 {
                    result += String(format: "\\u%04x", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

/// The process's peak resident set size in bytes (getrusage's ru_maxrss, in KiB on Linux).
func peakResidentBytes() -> Int {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    return Int(usage.ru_maxrss) * 1024
}

/// User plus system CPU seconds used by the process so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) * 1e-6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
