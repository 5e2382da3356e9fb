import Cell
import Foundation
import KernelInterface
import Synchronization

/// The differential check of the compiler's fast paths: the same cells run in two fresh
/// interpreters, one with the fast paths (direct calls of user functions, cached method call
/// sites, in-place `append`, Int and Double arithmetic and assignment without the general
/// operator) and one compiled without them (`Configuration.usesFastPaths = false`), and must
/// print, return and fail alike. A fast path that changes what a cell does is a bug in it.
struct DifferentialCheck {
    let fast: CellInterpreter.Configuration
    let general: CellInterpreter.Configuration

    /// The check of the fast paths against the general path, for `configuration`.
    init(_ configuration: CellInterpreter.Configuration) {
        fast = configuration
        var general = configuration
        general.usesFastPaths = false
        self.general = general
    }

    /// A check of two given configurations (the self-test feeds it a divergent pair).
    init(fast: CellInterpreter.Configuration, general: CellInterpreter.Configuration) {
        self.fast = fast
        self.general = general
    }

    /// What one cell did, as far as the comparison goes.
    struct Observation: Equatable, CustomStringConvertible {
        var output = ""
        var result: String?
        var error: String?

        var interrupted: Bool { error?.hasPrefix(ExecutionError.keyboardInterrupt.name) == true }

        var description: String {
            var lines = output.isEmpty ? [] : ["output: " + output.debugDescription]
            if let result { lines.append("result: " + result) }
            if let error { lines.append("error: " + error) }
            return lines.isEmpty ? "nothing" : lines.joined(separator: "; ")
        }
    }

    /// A cell whose observations differ, with the cells of its session before it.
    struct Divergence: CustomStringConvertible {
        let cells: [String]
        let fast: Observation
        let general: Observation

        var description: String {
            var text = "cell-fuzz: DIVERGENCE between the fast paths and the general path\n"
            for (index, cell) in cells.enumerated() {
                text += "--- cell \(index + 1)\(index == cells.count - 1 ? " (diverges)" : "")\n"
                text += cell + "\n"
            }
            text += "fast paths:   \(fast)\ngeneral path: \(general)"
            return text
        }
    }

    /// Runs `cells` in order in one fresh interpreter of each configuration, returning the
    /// first divergence. A cell interrupted in either (by `watchdog`, past its time limit)
    /// ends the comparison of this session, since how far each got depends on timing.
    func firstDivergence(in cells: [String], watchdog: Watchdog? = nil, timeLimit: Double = 2)
        -> Divergence?
    {
        let fastInterpreter = CellInterpreter(configuration: fast)
        let generalInterpreter = CellInterpreter(configuration: general)
        for (index, cell) in cells.enumerated() {
            let first = DifferentialCheck.observe(
                cell, in: fastInterpreter, count: index + 1, watchdog: watchdog,
                timeLimit: timeLimit)
            let second = DifferentialCheck.observe(
                cell, in: generalInterpreter, count: index + 1, watchdog: watchdog,
                timeLimit: timeLimit)
            if first.interrupted || second.interrupted { return nil }
            if first != second {
                return Divergence(cells: Array(cells[...index]), fast: first, general: second)
            }
        }
        return nil
    }

    private static func observe(
        _ cell: String, in interpreter: CellInterpreter, count: Int, watchdog: Watchdog?,
        timeLimit: Double
    ) -> Observation {
        let sink = CapturingSink()
        watchdog?.arm(interpreter, cell: "[differential] " + cell, after: timeLimit)
        let outcome = interpreter.execute(
            ExecutionRequest(code: cell, executionCount: count), output: sink)
        watchdog?.disarm()
        var observation = Observation(output: sink.text)
        switch outcome {
        case .success(let bundle): observation.result = bundle?.plainText
        case .failure(let error): observation.error = "\(error.name): \(error.value)"
        }
        return observation
    }
}

/// Keeps what a cell writes and displays, in order, as text (and refuses input).
final class CapturingSink: OutputSink {
    private let recorded = Mutex("")

    var text: String { recorded.withLock { $0 } }

    private func record(_ text: String) { recorded.withLock { $0 += text } }

    func write(_ text: String, to stream: StandardStream) {
        record(stream == .stderr ? "[stderr] " + text : text)
    }

    func display(_ bundle: MimeBundle, id: String?) {
        record("[display] \(bundle.plainText ?? "")\n")
    }

    func updateDisplay(_ bundle: MimeBundle, id: String) {
        record("[update] \(bundle.plainText ?? "")\n")
    }

    func clearOutput(wait: Bool) { record("[clear]\n") }
    func page(_ bundle: MimeBundle) { record("[page] \(bundle.plainText ?? "")\n") }
    func readInput(prompt: String, password: Bool) throws(InputError) -> String {
        throw .notAllowed
    }
}
