import Foundation

/// Command-line options of `cell-fuzz`.
struct FuzzOptions {
    var cells = 20_000
    var seed: UInt64 = 1
    /// Seconds a cell may run before it is interrupted.
    var timeLimit = 2.0
    /// Seconds after the interrupt before a cell counts as hung.
    var hangLimit = 20.0
    var script: String?
    var verbose = false
    /// Print the cells (one JSON string a line) instead of running them, for `scripts/soak`.
    var emit = false
    /// Generated cells to run with and without the compiler's fast paths (`--differential`).
    var differentialCells = 0
    /// Whether to check that the differential check reports a planted divergence.
    var differentialSelfTest = false

    static func parse(_ arguments: [String]) -> FuzzOptions {
        var options = FuzzOptions()
        var index = 0
        func value() -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--cells": options.cells = value().flatMap(Int.init) ?? options.cells
            case "--seed": options.seed = value().flatMap(UInt64.init) ?? options.seed
            case "--time-limit":
                options.timeLimit = value().flatMap(Double.init) ?? options.timeLimit
            case "--hang-limit":
                options.hangLimit = value().flatMap(Double.init) ?? options.hangLimit
            case "--script": options.script = value()
            case "--verbose": options.verbose = true
            case "--emit": options.emit = true
            case "--differential":
                options.differentialCells =
                    value().flatMap(Int.init) ?? options.differentialCells
            case "--differential-self-test": options.differentialSelfTest = true
            default:
                FileHandle.standardError.write(
                    Data(
                        ("usage: cell-fuzz [--cells N] [--differential N] [--seed S] "
                            + "[--time-limit SECONDS] [--hang-limit SECONDS] [--verbose] [--emit] "
                            + "| --differential-self-test | --script FILE\n").utf8))
                exit(2)
            }
            index += 1
        }
        return options
    }
}
