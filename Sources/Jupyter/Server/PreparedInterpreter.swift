import Dispatch
import Foundation
import KernelInterface
import Synchronization

/// An interpreter built on a thread of its own while the kernel starts: `kernel_info` (whose
/// answer, `info`, is known without building) is answered at once, and the first request that
/// needs the language waits for the build to finish.
///
/// A kernel is started, then asked for `kernel_info`, long before anyone types a cell; the
/// language's set-up (Trainbook's library registry: a third of the start's instructions) need
/// not stand between the two.
///
/// ```swift
/// let interpreter = PreparedInterpreter(info: info) { CellInterpreter(configuration: cells) }
/// let server = try KernelServer(interpreter: interpreter, configuration: configuration)
/// ```
public final class PreparedInterpreter: Interpreter, @unchecked Sendable {
    // Unchecked: the built interpreter is behind a lock; the `Interpreter` contract (one
    // calling thread, `interrupt()` from any) carries over to it.
    /// What `kernel_info_reply` says, known before the interpreter is built.
    public let info: InterpreterInfo
    private let built = Mutex<InterpreterHandle?>(nil)
    private let ready = DispatchSemaphore(value: 0)
    /// How many `execute` calls wait for the build, and whether an interrupt came meanwhile
    /// (it is theirs: the stop button was pressed on a cell that had not started yet).
    private let waiting = Mutex((executes: 0, interrupted: false))

    /// Starts building the interpreter with `build` on a new thread.
    ///
    /// - Parameters:
    ///   - info: what `kernel_info_reply` says; must be what the built interpreter would say.
    ///   - build: makes the interpreter; runs once, on its own thread.
    public init(info: InterpreterInfo, build: @escaping () -> any Interpreter) {
        self.info = info
        let job = BuildJob(build)
        let thread = Thread { [self] in
            let handle = InterpreterHandle(job.build())
            built.withLock { $0 = handle }
            ready.signal()
        }
        thread.name = "interpreter set-up"
        thread.start()
    }

    /// The built interpreter, waiting for the build the first time.
    public var interpreter: any Interpreter {
        while true {
            if let handle = built.withLock({ $0 }) { return handle.value }
            ready.wait()
            ready.signal()  // the next waiter (if any) passes too
        }
    }

    /// Runs the cell on the built interpreter (waiting for the build). A cell interrupted while
    /// it waited for the build does not run: it fails with `KeyboardInterrupt`, as it would
    /// have had it started.
    public func execute(_ request: ExecutionRequest, output: any OutputSink) -> ExecutionOutcome {
        if let handle = built.withLock({ $0 }) {
            return handle.value.execute(request, output: output)
        }
        waiting.withLock { $0.executes += 1 }
        let interpreter = self.interpreter
        let interrupted = waiting.withLock { state in
            state.executes -= 1
            defer { if state.executes == 0 { state.interrupted = false } }
            return state.interrupted
        }
        if interrupted { return .failure(.keyboardInterrupt) }
        return interpreter.execute(request, output: output)
    }

    /// Evaluates on the built interpreter (waiting for the build).
    public func evaluate(expression: String) -> Result<MimeBundle, ExecutionError> {
        interpreter.evaluate(expression: expression)
    }

    /// Completes with the built interpreter (waiting for the build).
    public func complete(_ code: String, cursor: Int) -> CompletionResult {
        interpreter.complete(code, cursor: cursor)
    }

    /// Inspects with the built interpreter (waiting for the build).
    public func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? {
        interpreter.inspect(code, cursor: cursor, detailLevel: detailLevel)
    }

    /// Asks the built interpreter (waiting for the build).
    public func isComplete(_ code: String) -> Completeness {
        interpreter.isComplete(code)
    }

    /// Forwarded once built. Before that no cell has started; a cell waiting for the build is
    /// marked interrupted and does not run.
    public func interrupt() {
        if let handle = built.withLock({ $0 }) {
            handle.value.interrupt()
            return
        }
        waiting.withLock { state in
            if state.executes > 0 { state.interrupted = true }
        }
        // The build may have finished in between: the waiting cell sees the mark, or it has
        // started on the interpreter, which the forwarded interrupt stops.
        built.withLock { $0 }?.value.interrupt()
    }

    /// How many cells wait for the build now (for tests).
    var waitingExecutes: Int { waiting.withLock { $0.executes } }

    /// Shuts the built interpreter down (waiting for the build).
    public func shutdown(restart: Bool) {
        interpreter.shutdown(restart: restart)
    }
}

/// The build closure, handed to the set-up thread, which alone ever calls it (so it need not
/// be `Sendable`: the configuration it captures is not).
private final class BuildJob: @unchecked Sendable {
    let build: () -> any Interpreter

    init(_ build: @escaping () -> any Interpreter) {
        self.build = build
    }
}
