import Foundation
import KernelInterface

/// Executes the code cells of a notebook in order on a connected kernel, filling in outputs
/// and execution counts, printing output as it arrives and saving images to files.
///
/// ```swift
/// let runner = NotebookRunner(client: client, options: .init(imageDirectory: "out/nb_files"))
/// let result = try runner.run(&notebook)
/// ```
public final class NotebookRunner {
    /// How a run behaves.
    public struct Options: Sendable {
        /// The longest one cell may run; then the kernel is interrupted and the cell fails.
        public var cellTimeout: Duration?
        /// Keep going after a cell fails.
        public var allowErrors: Bool
        /// Where images (PNG, SVG) found in outputs are saved; nil saves none.
        public var imageDirectory: String?

        /// Creates options.
        public init(
            cellTimeout: Duration? = nil, allowErrors: Bool = false, imageDirectory: String? = nil
        ) {
            self.cellTimeout = cellTimeout
            self.allowErrors = allowErrors
            self.imageDirectory = imageDirectory
        }
    }

    /// What a run did.
    public struct Result: Sendable, Equatable {
        /// Code cells executed.
        public var executedCells = 0
        /// Indexes (0-based) of the cells that failed.
        public var failedCells: [Int] = []
        /// Paths of the images saved, in order.
        public var savedImages: [String] = []
    }

    private let client: KernelClient
    private let options: Options
    private let printer: OutputPrinter
    private let interruptKernel: () -> Void

    /// Creates a runner.
    ///
    /// - Parameters:
    ///   - client: a client whose kernel is ready.
    ///   - options: timeout, error policy and image directory.
    ///   - write: where printed output goes (standard output and error by default).
    ///   - interruptKernel: how to interrupt the kernel when a cell times out.
    public init(
        client: KernelClient, options: Options = Options(),
        write: @escaping (String, StandardStream) -> Void = OutputPrinter.standardOutput,
        interruptKernel: @escaping () -> Void = {}
    ) {
        self.client = client
        self.options = options
        self.printer = OutputPrinter(write: write)
        self.interruptKernel = interruptKernel
    }

    /// Runs every code cell of `notebook`, updating it in place; stops at the first failure
    /// unless errors are allowed.
    ///
    /// - Parameter kernelInfo: the kernel's info, recorded in the notebook's metadata.
    /// - Throws: `JupyterError.kernelDied` and socket errors; cell errors are in the result.
    public func run(
        _ notebook: inout Notebook, kernelInfo: KernelInfoReply? = nil, spec: KernelSpec? = nil
    )
        throws(JupyterError) -> Result
    {
        if let kernelInfo {
            notebook.metadata["language_info"] = NotebookRunner.languageInfo(kernelInfo)
        }
        if let spec {
            notebook.metadata["kernelspec"] = [
                "name": .string(spec.name), "display_name": .string(spec.displayName),
                "language": .string(spec.language),
            ]
        }
        var result = Result()
        var outputs = CellOutputs()
        for index in notebook.cells.indices where notebook.cells[index].kind == .code {
            notebook.cells[index].outputs = []
            notebook.cells[index].executionCount = nil
            guard !notebook.cells[index].source.allSatisfy(\.isWhitespace) else { continue }
            result.executedCells += 1
            let failed = try execute(cell: index, of: &notebook, outputs: &outputs, result: &result)
            if failed {
                result.failedCells.append(index)
                if !options.allowErrors { break }
            }
        }
        return result
    }

    /// Runs one cell; returns whether it failed.
    private func execute(
        cell index: Int, of notebook: inout Notebook, outputs: inout CellOutputs,
        result: inout Result
    )
        throws(JupyterError) -> Bool
    {
        var cells = notebook.cells
        defer { notebook.cells = cells }
        let request = ExecuteRequest(
            code: cells[index].source, allowStdin: false, stopOnError: true)
        var saver = options.imageDirectory.map(OutputImageSaver.init(directory:))
        do {
            let reply = try client.execute(
                request, timeout: options.cellTimeout, onTimeout: interruptKernel
            ) {
                message in
                let added = outputs.apply(message, toCell: index, of: &cells)
                let images =
                    added.map { output in
                        saver?.save(output, prefix: "cell\(index + 1)", warn: printer.printWarning)
                            ?? []
                    } ?? []
                result.savedImages += images
                printer.print(message, output: added, savedImages: images)
            }
            printer.finishCell()
            printer.printPages(of: reply)
            cells[index].executionCount = reply.executionCount
            if case .error = reply.status { return true }
            return false
        } catch .timeout {
            let error = ExecutionError(
                name: "CellTimeoutError",
                value:
                    "the cell ran longer than \(ClientClock.seconds(options.cellTimeout ?? .zero)) s and was interrupted"
            )
            let output: JSONValue = [
                "output_type": "error", "ename": .string(error.name),
                "evalue": .string(error.value),
                "traceback": .array(error.traceback.map { .string($0) }),
            ]
            cells[index].outputs.append(output)
            printer.finishCell()
            printer.print(output, savedImages: [])
            return true
        }
    }

    /// The notebook's `language_info` from a kernel_info reply.
    static func languageInfo(_ reply: KernelInfoReply) -> JSONValue {
        if let received = reply.receivedLanguageInfo { return received }
        let language = reply.info.languageInfo
        return [
            "name": .string(language.name), "version": .string(language.version),
            "mimetype": .string(language.mimetype),
            "file_extension": .string(language.fileExtension),
            "pygments_lexer": .string(language.pygmentsLexer),
            "codemirror_mode": .string(language.codemirrorMode),
        ]
    }
}
