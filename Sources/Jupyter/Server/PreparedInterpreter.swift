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
    private let state = Mutex(SetUp())
    private let ready = DispatchSemaphore(value: 0)

    /// The set-up's state; one lock covers the build's end, the cells waiting for it and the
    /// interrupts that come meanwhile.
    private struct SetUp {
        /// The interpreter, once built.
        var built: InterpreterHandle?
        /// Cells waiting for the build.
        var waitingCells = 0
        /// Counts interrupts that came while cells waited: a cell that sees it change while it
        /// waited was interrupted before it started.
        var interruptsWhileWaiting = 0
    }

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
            state.withLock { $0.built = handle }
            ready.signal()
        }
        thread.name = "interpreter set-up"
        thread.start()
    }

    /// The built interpreter, waiting for the build the first time.
    public var interpreter: any Interpreter {
        while true {
            if let handle = state.withLock({ $0.built }) { return handle.value }
            ready.wait()
            ready.signal()  // the next waiter (if any) passes too
        }
    }

    /// Runs the cell on the built interpreter (waiting for the build). A cell interrupted while
    /// it waited for the build does not run: it fails with `KeyboardInterrupt`, as it would
    /// have had it started.
    public func execute(_ request: ExecutionRequest, output: any OutputSink) -> ExecutionOutcome {
        let (built, interruptsBefore) = state.withLock { setUp in
            if setUp.built == nil { setUp.waitingCells += 1 }
            return (setUp.built, setUp.interruptsWhileWaiting)
        }
        if let built { return built.value.execute(request, output: output) }
        let interpreter = self.interpreter
        let interrupted = state.withLock { setUp in
            setUp.waitingCells -= 1
            return setUp.interruptsWhileWaiting != interruptsBefore
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

    /// Forwarded once built. Before that no cell has started: the cells waiting for the build
    /// are marked interrupted and do not run.
    public func interrupt() {
        let built = state.withLock { setUp in
            if setUp.built == nil && setUp.waitingCells > 0 { setUp.interruptsWhileWaiting += 1 }
            return setUp.built
        }
        built?.value.interrupt()
    }

    /// How many cells wait for the build now (for tests).
    var waitingExecutes: Int { state.withLock { $0.waitingCells } }

    /// Shuts the built interpreter down; one still being built is left to the process's end.
    public func shutdown(restart: Bool) {
        state.withLock { $0.built }?.value.shutdown(restart: restart)
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
