import Foundation
import KernelInterface
import Synchronization

/// A tiny line-oriented language that exercises every part of the `Interpreter` seam, so the
/// kernel server is tested without the real cell language.
///
/// One command per line:
/// - `print TEXT`, `eprint TEXT`: a line on stdout or stderr
/// - `lines N`: N lines "line 1" ... "line N" on stdout, one write each
/// - `fail`: fails with TestError
/// - `loop`: runs until interrupted, then fails with KeyboardInterrupt
/// - `sleep MS`: waits MS milliseconds
/// - `display ID TEXT`, `update ID TEXT`, `clear`: displays
/// - `input PROMPT`: reads a line and prints it
/// - `page TEXT`: sends TEXT to the pager
/// - `count`: increments a session counter and prints it (to see that state survives)
/// - `A + B`: the sum as the cell's result
final class TestInterpreter: Interpreter, @unchecked Sendable {
    // Unchecked: `interrupted` is atomic; `counter` is touched only by the execution thread.
    private let interrupted = Atomic<Bool>(false)
    private(set) var counter = 0
    let shutdowns = Locked<[Bool]>([])

    /// A 1x1 PNG, base64.
    static let onePixelPNG =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

    static let words = [
        "print", "eprint", "lines", "fail", "loop", "display", "update", "clear", "input", "page",
        "count", "sleep",
    ]

    var info: InterpreterInfo {
        InterpreterInfo(
            implementation: "test", implementationVersion: "0.1",
            languageInfo: LanguageInfo(
                name: "test", version: "1", mimetype: "text/x-test", fileExtension: ".test",
                pygmentsLexer: "text",
                codemirrorMode: "null"),
            banner: "test interpreter",
            helpLinks: [HelpLink(text: "Test", url: "https://example.com")])
    }

    func execute(_ request: ExecutionRequest, output: any OutputSink) -> ExecutionOutcome {
        interrupted.store(false, ordering: .sequentiallyConsistent)
        var result: MimeBundle?
        for line in request.code.split(separator: "\n") {
            let (command, argument) = split(String(line))
            switch command {
            case "print": output.write(argument + "\n", to: .stdout)
            case "eprint": output.write(argument + "\n", to: .stderr)
            case "lines":
                for number in 1...max(1, Int(argument) ?? 1) {
                    output.write("line \(number)\n", to: .stdout)
                }
            case "fail":
                return .failure(ExecutionError(name: "TestError", value: "failed on purpose"))
            case "loop":
                while !interrupted.load(ordering: .sequentiallyConsistent) { usleep(1000) }
                return .failure(.keyboardInterrupt)
            case "sleep": usleep(UInt32(max(0, min(Int(argument) ?? 0, 10_000))) * 1000)
            case "display", "update":
                let (id, text) = split(argument)
                if command == "display" {
                    output.display(MimeBundle(plainText: text), id: id)
                } else {
                    output.updateDisplay(MimeBundle(plainText: text), id: id)
                }
            case "clear": output.clearOutput(wait: argument == "wait")
            case "image":
                output.display(
                    MimeBundle(data: [
                        "text/plain": "<image>", "image/png": .string(TestInterpreter.onePixelPNG),
                        "image/svg+xml": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                    ]), id: nil)
            case "input":
                do {
                    let value = try output.readInput(prompt: argument, password: false)
                    output.write("got \(value)\n", to: .stdout)
                } catch .interrupted {
                    return .failure(.keyboardInterrupt)
                } catch {
                    return .failure(
                        ExecutionError(name: "StdinNotImplementedError", value: "input not allowed")
                    )
                }
            case "page": output.page(MimeBundle(plainText: argument))
            case "count":
                counter += 1
                output.write("\(counter)\n", to: .stdout)
            default:
                let terms = line.split(separator: "+").map {
                    Int($0.trimmingCharacters(in: .whitespaces))
                }
                guard terms.count >= 2, terms.allSatisfy({ $0 != nil }) else {
                    return .failure(
                        ExecutionError(name: "SyntaxError", value: "unknown command: \(line)"))
                }
                result = MimeBundle(plainText: String(terms.compactMap { $0 }.reduce(0, +)))
            }
        }
        return .success(result: result)
    }

    func evaluate(expression: String) -> Result<MimeBundle, ExecutionError> {
        expression == "counter"
            ? .success(MimeBundle(plainText: String(counter)))
            : .failure(ExecutionError(name: "NameError", value: "\(expression) is not defined"))
    }

    func complete(_ code: String, cursor: Int) -> CompletionResult {
        let scalars = Array(code.unicodeScalars.prefix(cursor))
        var start = scalars.count
        while start > 0, scalars[start - 1].properties.isAlphabetic { start -= 1 }
        var prefix = ""
        prefix.unicodeScalars.append(contentsOf: scalars[start...])
        let matches = TestInterpreter.words.filter { $0.hasPrefix(prefix) }
            .map {
                CompletionMatch(
                    text: $0, kind: "keyword", signature: $0 == "print" ? "print TEXT" : nil)
            }
        return CompletionResult(matches: matches, cursorStart: start, cursorEnd: cursor)
    }

    func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? {
        code.contains("print")
            ? MimeBundle(plainText: "print TEXT: writes a line (detail \(detailLevel))") : nil
    }

    func isComplete(_ code: String) -> Completeness {
        if code.hasSuffix("\\") { return .incomplete(indent: "  ") }
        if code.hasPrefix("!") { return .invalid }
        if code.hasPrefix("?") { return .unknown }
        return .complete
    }

    func interrupt() {
        interrupted.store(true, ordering: .sequentiallyConsistent)
    }

    func shutdown(restart: Bool) {
        shutdowns.withLock { $0.append(restart) }
    }

    private func split(_ line: String) -> (String, String) {
        guard let space = line.firstIndex(of: " ") else { return (line, "") }
        return (String(line[..<space]), String(line[line.index(after: space)...]))
    }
}
