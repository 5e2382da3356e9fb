import Foundation
import KernelInterface
import Memory

/// The cell language as a Jupyter interpreter: runs cells against a persistent session,
/// completes, inspects and judges whether a cell is complete.
///
/// Everything runs on one evaluation thread with a large stack; `interrupt()` may be called
/// from any thread and stops a running cell at its next loop iteration or call.
///
/// ```swift
/// let interpreter = CellInterpreter()
/// let outcome = interpreter.execute(ExecutionRequest(code: "6 * 7", executionCount: 1), output: sink)
/// // .success(result: MimeBundle(plainText: "42"))
/// ```
public final class CellInterpreter: Interpreter, @unchecked Sendable {
    /// Limits and extensions of an interpreter.
    public struct Configuration {
        /// Bytes that values may allocate (tensors check it too, once bound).
        public var memoryLimit = MemoryBudget.defaultLimit
        /// How the budget reads the process's resident size, through which arrays and strings
        /// count (`MemoryBudget.residentBytes`); tests that share a process with others give
        /// `{ nil }`, so that other tests' memory does not count against their cells.
        public var measureResidentBytes: @Sendable () -> Int? = MemoryBudget.residentBytes
        /// The deepest call nesting before a RecursionError.
        public var recursionLimit = 10_000
        /// Stack of the evaluation thread, sized for `recursionLimit`.
        public var stackSize = 1 << 30
        /// Whether cells run on the calling thread instead of a private evaluation thread,
        /// which saves two thread hand-overs per request (a kernel's `1+1` round trip). The
        /// caller must then call from one thread at a time, with `stackSize` bytes of stack.
        public var evaluatesOnCallingThread = false
        /// Binds a library after the language's own builtins, given the registry and the
        /// session's resources (`LibraryResources`): CellLibrary's `Configuration.withLibrary` sets it to Trainbook's (Tensor,
        /// NN, Data, Plot); nil (the default) is the language alone.
        public var library: ((Registry, LibraryResources) -> Void)?
        /// Library bindings to add to the registry after the language's own builtins.
        public var bindings: [(Registry) -> Void] = []
        /// How `environment("NAME")` reads variables.
        public var environment: (String) -> String? = { ProcessInfo.processInfo.environment[$0] }
        /// One line naming the BLAS that tensor products run on (library, version, kernels,
        /// threads), for `%blas` and the kernel banner; the program that binds the tensor
        /// library installs it (`trainbook kernel`: `{ BLAS.description }`). nil: none bound.
        public var blasDescription: (() -> String)?
        /// Gives back memory the library keeps for reuse (Tensor's pool of freed buffers), run
        /// by `%reset` before the allocator's free pages go back to the system. nil: nothing
        /// to give back. `withLibrary` sets it.
        public var releaseCachedMemory: (() -> Void)?
        /// Whether the compiler takes its fast paths: direct calls of user functions, cached
        /// method call sites, in-place `append`, Int and Double arithmetic and assignment
        /// without the general operator. Off, every one of them takes the general path, which
        /// must give the same results (cell-fuzz's differential check compares the two).
        public var usesFastPaths = true

        /// The default configuration.
        public init() {}
    }

    /// The language and implementation facts for `kernel_info_reply`; the banner's last line
    /// names the BLAS when the configuration describes one.
    public let info: InterpreterInfo

    /// The configuration's BLAS description, for `%blas`.
    let blasDescription: (() -> String)?

    /// The configuration's hook giving back the library's cached memory, for `%reset`.
    let releaseCachedMemory: (() -> Void)?

    let session: Session
    /// The private evaluation thread; nil when cells run on the calling thread.
    private let worker: EvaluationThread?
    private let interruptFlag = InterruptFlag()
    lazy var magics = Magics(interpreter: self)

    /// An interpreter with the default configuration.
    public convenience init() {
        self.init(configuration: Configuration())
    }

    /// An interpreter with the given limits and library bindings.
    public init(configuration: Configuration) {
        blasDescription = configuration.blasDescription
        releaseCachedMemory = configuration.releaseCachedMemory
        info = CellInterpreter.info(for: configuration)
        let registry = Registry()
        let memory = MemoryBudget(
            limit: configuration.memoryLimit,
            measuringResidentBytes: configuration.measureResidentBytes)
        Builtins.install(into: registry)
        configuration.library?(
            registry, LibraryResources(memory: memory, interruptFlag: interruptFlag))
        for bind in configuration.bindings { bind(registry) }
        session = Session(
            registry: registry, memory: memory,
            recursionLimit: configuration.recursionLimit, interruptFlag: interruptFlag,
            environment: configuration.environment)
        session.usesFastPaths = configuration.usesFastPaths
        worker =
            configuration.evaluatesOnCallingThread
            ? nil : EvaluationThread(stackSize: configuration.stackSize)
    }

    deinit {
        worker?.stop()
    }

    /// The `info` of an interpreter with `configuration`, without building one (a kernel
    /// answers `kernel_info` while its interpreter is still being set up).
    public static func info(for configuration: Configuration) -> InterpreterInfo {
        InterpreterInfo(
            implementation: "trainbook", implementationVersion: "0.1.0",
            languageInfo: LanguageInfo(
                name: "swift", version: "6.0", mimetype: "text/x-swift", fileExtension: ".swift",
                pygmentsLexer: "swift", codemirrorMode: "swift"),
            banner:
                "Trainbook: Swift-flavoured cells for training, tuning and compressing networks.\n"
                + "Type %help for the builtins."
                + (configuration.blasDescription.map { "\nBLAS: " + $0() } ?? ""),
            helpLinks: [HelpLink(text: "Language tour", url: "notebooks/00-language-tour.ipynb")])
    }

    /// Runs `body` where cells run: on the evaluation thread, or right here, inside the
    /// registry's evaluation scope (the library installs the session's random source and
    /// memory budget there).
    private func perform<T>(_ body: @escaping () -> T) -> T {
        let registry = session.registry
        guard let worker else { return registry.withinEvaluationScope(body) }
        return worker.run { registry.withinEvaluationScope(body) }
    }

    /// The registry, for inspection by tests and tools.
    public var registry: Registry { session.registry }

    // MARK: - Interpreter

    /// Runs one cell.
    public func execute(_ request: ExecutionRequest, output: any OutputSink) -> ExecutionOutcome {
        perform { [self] in
            interruptFlag.clear()
            if request.storeHistory, !request.silent { session.recordHistory(request.code) }
            session.output.sink = request.silent ? nil : output
            defer {
                session.output.flush()
                session.output.sink = nil
            }
            let file = SourceFile(name: "Cell In[\(request.executionCount)]", text: request.code)
            let outcome = run(file)
            // What the cell freed goes back to the system once the process has grown a lot.
            FreedMemory.returnIfGrown()
            if request.silent, case .success = outcome { return .success(result: nil) }
            return outcome
        }
    }

    /// Evaluates an expression for `user_expressions`.
    public func evaluate(expression: String) -> Result<MimeBundle, ExecutionError> {
        perform { [self] in
            let file = SourceFile(name: "<expression>", text: expression)
            switch run(file) {
            case .success(let result): return .success(result ?? MimeBundle(plainText: "()"))
            case .failure(let error): return .failure(error)
            }
        }
    }

    /// Completions at `cursor`.
    public func complete(_ code: String, cursor: Int) -> CompletionResult {
        perform { [self] in Completer(session: session).complete(code, cursor: cursor) }
    }

    /// Documentation for what is at `cursor`.
    public func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MimeBundle? {
        perform { [self] in
            Inspector(session: session).inspect(code, cursor: cursor, detailLevel: detailLevel)
        }
    }

    /// Whether `code` is a complete cell.
    public func isComplete(_ code: String) -> Completeness {
        perform { CompletenessChecker.check(code) }
    }

    /// Stops the running cell as soon as it can.
    public func interrupt() {
        interruptFlag.raise()
    }

    /// Stops the evaluation thread.
    public func shutdown(restart: Bool) {}

    // MARK: - Running

    /// Parses, compiles and runs a cell on the evaluation thread.
    func run(_ file: SourceFile) -> ExecutionOutcome {
        let (statements, diagnostics) = Parser.parse(file)
        if !diagnostics.isEmpty {
            return .failure(Traceback.syntaxError(diagnostics, in: file))
        }
        let compiler = Compiler(session: session, file: file, magicRunner: magics.runner)
        let compiled = compiler.compileCell(statements)
        if !compiler.problems.isEmpty {
            return .failure(Traceback.compileError(compiler.problems, in: file))
        }
        do throws(Failure) {
            guard let result = try compiled.run(in: session), !result.isVoid else {
                return .success(result: nil)
            }
            return .success(result: session.bundle(for: result))
        } catch {
            session.depth.pointee = 0
            return .failure(Traceback.error(for: error))
        }
    }
}
