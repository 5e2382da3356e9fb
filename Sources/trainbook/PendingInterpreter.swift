import KernelInterface

/// The interpreter `trainbook kernel` runs.
func makeInterpreter() -> any Interpreter {
    PendingInterpreter()
}

/// Stands in for the cell language until module Cell provides `CellInterpreter`: every cell
/// fails with an explanation, so the kernel itself can be installed, started and tested.
final class PendingInterpreter: Interpreter {
    var info: InterpreterInfo {
        InterpreterInfo(
            implementation: "trainbook", implementationVersion: Version.current,
            languageInfo: LanguageInfo(
                name: "swift", version: "6", mimetype: "text/x-swift", fileExtension: ".swift",
                pygmentsLexer: "swift", codemirrorMode: "swift"),
            banner: "Trainbook \(Version.current) (the cell language is not built in yet)")
    }

    func execute(_ request: ExecutionRequest, output: any OutputSink) -> ExecutionOutcome {
        .failure(
            ExecutionError(
                name: "NotAvailable", value: "the cell language is not built into this kernel yet"))
    }

    func complete(_ code: String, cursor: Int) -> CompletionResult { .none(at: cursor) }

    func isComplete(_ code: String) -> Completeness { .unknown }

    func interrupt() {}
}
