import CellLibrary
import Foundation
import KernelInterface
import Testing

@testable import Cell

/// A test file of cells in the language itself: cells separated by `// ---` lines, each with
/// the lines it must print (`// expect: …`), its result (`// expect-result: …`), what it
/// writes to standard error (`// expect-stderr: …`), the error it must raise
/// (`// expect-error: Name: message`, or a prefix of it ending in `…`) and lines its
/// traceback must show, in order (`// expect-traceback: …`, spaces after the colon and one
/// space kept, so a caret line keeps its column).
struct CellFile {
    let name: String
    let text: String

    /// The configuration every cell file runs with: a 64 MB memory budget (so the limits'
    /// messages do not depend on the machine) that counts the cells' own allocations only
    /// (the resident size of the test process moves with the tests running beside them), and
    /// a fixed environment.
    static var configuration: CellInterpreter.Configuration {
        var configuration = CellInterpreter.Configuration.withLibrary
        configuration.memoryLimit = 64 << 20
        configuration.measureResidentBytes = { nil }
        configuration.environment = { name in
            ["TRAINBOOK_QUICK": "1", "FIXTURE_NAME": "fixture"][name]
        }
        return configuration
    }

    /// The file's cells.
    var cells: [String] { text.components(separatedBy: "\n// ---\n") }

    /// Runs the cells in one fresh session and records an issue for each expectation missed.
    func check(configuration: CellInterpreter.Configuration = CellFile.configuration) {
        let harness = CellHarness(configuration: configuration)
        for (index, cell) in cells.enumerated() {
            let expected = Expectations(cell)
            let run = harness.run(cell)
            let place = "\(name), cell \(index + 1)"
            if let error = expected.error {
                let actual = run.error.map { "\($0.name): \($0.value)" }
                if error.hasSuffix("…") {
                    #expect(
                        actual?.hasPrefix(String(error.dropLast())) == true,
                        "\(place): expected an error starting \(error), got \(actual ?? "none")")
                } else {
                    #expect(actual == error, "\(place): expected the error \(error)")
                }
            } else if let error = run.error {
                let traceback = error.traceback.joined(separator: "\n")
                Issue.record(Comment(rawValue: "\(place): unexpected error\n\(traceback)"))
            }
            if !expected.traceback.isEmpty {
                let traceback = run.error?.traceback ?? []
                #expect(
                    traceback.containsInOrder(expected.traceback),
                    "\(place): the traceback does not show \(expected.traceback)")
            }
            #expect(run.stdout == expected.stdout, "\(place): standard output differs")
            if !expected.stderr.isEmpty || !run.stderr.isEmpty {
                #expect(run.stderr == expected.stderr, "\(place): standard error differs")
            }
            if let result = expected.result {
                #expect(run.result == result, "\(place): result differs")
            }
        }
    }
}

/// What a cell of a cell file says it must do.
struct Expectations {
    var stdout = ""
    var stderr = ""
    var result: String?
    var error: String?
    var traceback: [String] = []

    init(_ cell: String) {
        for line in cell.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let marker = line.range(of: "// expect") else { continue }
            let directive = line[marker.lowerBound...]
            if let text = directive.value(after: "// expect: ") {
                stdout += text + "\n"
            } else if directive == "// expect:" {
                stdout += "\n"
            } else if let text = directive.value(after: "// expect-stderr: ") {
                stderr += text + "\n"
            } else if let text = directive.value(after: "// expect-result: ") {
                result = text
            } else if let text = directive.value(after: "// expect-error: ") {
                error = text
            } else if let text = directive.value(after: "// expect-traceback: ") {
                traceback.append(text)
            }
        }
    }
}

extension Substring {
    fileprivate func value(after prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}

extension Array where Element == String {
    /// Whether every line of `lines` is one of these lines, in the same order.
    fileprivate func containsInOrder(_ lines: [String]) -> Bool {
        var remaining = lines[...]
        for line in self where remaining.first == line { remaining = remaining.dropFirst() }
        return remaining.isEmpty
    }
}
