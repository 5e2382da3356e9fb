import CellLibrary
import Foundation
import KernelInterface
import Testing

@testable import Cell

/// Runs the cell files in Fixtures/: cells separated by `// ---` lines, each with the lines it
/// must print (`// expect: …`), its result (`// expect-result: …`), what it writes to standard
/// error (`// expect-stderr: …`) or the error it must raise (`// expect-error: Name: message`,
/// or a prefix of it ending in `…`).
@Suite struct FixtureTests {
    static let files: [String] = {
        guard let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".cell") }.sorted()
    }()

    @Test func fixturesExist() {
        #expect(FixtureTests.files.count >= 10)
    }

    @Test(arguments: FixtureTests.files)
    func fixture(_ name: String) throws {
        let url = try #require(
            Bundle.module.url(forResource: "Fixtures", withExtension: nil)?
                .appendingPathComponent(name))
        let text = try String(contentsOf: url, encoding: .utf8)
        let harness = CellHarness(configuration: FixtureTests.configuration)
        for (index, cell) in text.components(separatedBy: "\n// ---\n").enumerated() {
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
            #expect(run.stdout == expected.stdout, "\(place): standard output differs")
            if !expected.stderr.isEmpty || !run.stderr.isEmpty {
                #expect(run.stderr == expected.stderr, "\(place): standard error differs")
            }
            if let result = expected.result {
                #expect(run.result == result, "\(place): result differs")
            }
        }
    }

    static var configuration: CellInterpreter.Configuration {
        var configuration = CellInterpreter.Configuration.withLibrary
        configuration.memoryLimit = 64 << 20
        configuration.environment = { name in
            ["TRAINBOOK_QUICK": "1", "FIXTURE_NAME": "fixture"][name]
        }
        return configuration
    }
}

/// What a fixture cell says it must do.
struct Expectations {
    var stdout = ""
    var stderr = ""
    var result: String?
    var error: String?

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
            }
        }
    }
}

extension Substring {
    fileprivate func value(after prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
