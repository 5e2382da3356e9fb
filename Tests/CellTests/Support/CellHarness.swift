import CellLibrary
import KernelInterface

@testable import Cell

/// Runs cells against one interpreter and reports what they printed and produced.
final class CellHarness {
    let interpreter: CellInterpreter
    private var count = 0

    init(configuration: CellInterpreter.Configuration = .withLibrary) {
        interpreter = CellInterpreter(configuration: configuration)
    }

    /// What one cell did.
    struct Run {
        let outcome: ExecutionOutcome
        let sink: RecordingSink

        var stdout: String { sink.text(.stdout) }
        var stderr: String { sink.text(.stderr) }

        /// The text/plain of the result, if the cell succeeded with one.
        var result: String? {
            if case .success(let bundle) = outcome { return bundle?.plainText }
            return nil
        }

        /// The error, if the cell failed.
        var error: ExecutionError? {
            if case .failure(let error) = outcome { return error }
            return nil
        }

        var succeeded: Bool {
            if case .success = outcome { return true }
            return false
        }
    }

    @discardableResult
    func run(_ code: String, inputs: [String] = [], allowStdin: Bool = false) -> Run {
        count += 1
        let sink = RecordingSink(inputs: inputs)
        let outcome = interpreter.execute(
            ExecutionRequest(code: code, executionCount: count, allowStdin: allowStdin),
            output: sink)
        return Run(outcome: outcome, sink: sink)
    }
}
