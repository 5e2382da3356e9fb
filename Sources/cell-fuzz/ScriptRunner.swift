import Cell
import CellLibrary
import Foundation
import KernelInterface

/// `cell-fuzz --script FILE`: runs the cells of a file (separated by `#---` lines) in one
/// session and prints their output, results and errors.
enum ScriptRunner {
    static func run(path: String) -> Int32 {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            print("cell-fuzz: cannot read \(path)")
            return 2
        }
        let interpreter = CellInterpreter(configuration: .withLibrary)
        var failures: Int32 = 0
        for (index, cell) in text.components(separatedBy: "\n#---\n").enumerated() {
            let sink = PrintingSink()
            let outcome = interpreter.execute(
                ExecutionRequest(code: cell, executionCount: index + 1), output: sink)
            switch outcome {
            case .success(let result):
                if let text = result?.plainText { print("Out[\(index + 1)]: \(text)") }
            case .failure(let error):
                failures += 1
                print(error.traceback.joined(separator: "\n"))
            }
        }
        return failures == 0 ? 0 : 1
    }
}

/// Prints stream output as it comes.
final class PrintingSink: OutputSink {
    func write(_ text: String, to stream: StandardStream) {
        if stream == .stderr {
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            print(text, terminator: "")
        }
    }

    func display(_ bundle: MimeBundle, id: String?) {
        print("[display\(id.map { " " + $0 } ?? "")] \(bundle.plainText ?? "")")
    }

    func updateDisplay(_ bundle: MimeBundle, id: String) {
        print("[update \(id)] \(bundle.plainText ?? "")")
    }

    func clearOutput(wait: Bool) { print("[clear output]") }
    func page(_ bundle: MimeBundle) { print(bundle.plainText ?? "") }
    func readInput(prompt: String, password: Bool) throws(InputError) -> String {
        throw .notAllowed
    }
}
