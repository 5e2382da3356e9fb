import Foundation
import Jupyter
import KernelInterface
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `trainbook run FILE.ipynb|FILE.swift`: executes every code cell on a kernel, prints outputs
/// as they arrive, writes the executed notebook and saves its images.
enum RunCommand {
    static let usage = """
        usage: trainbook run FILE.ipynb|FILE.swift [--output OUT.ipynb] [--kernel NAME]
                             [--timeout SECONDS] [--allow-errors]
        """

    /// Runs the file; returns the process exit status (1 when a cell failed).
    static func run(_ arguments: Arguments) throws(JupyterError) -> Int32 {
        var arguments = arguments
        let outputOption = try arguments.option("--output", "-o")
        let kernelName = try arguments.option("--kernel")
        let timeoutText = try arguments.option("--timeout")
        let allowErrors = arguments.flag("--allow-errors")
        let files = try arguments.positional()
        guard files.count == 1, let input = files.first else { throw JupyterError.usage(usage) }
        let timeout = try timeoutText.map { text throws(JupyterError) -> Duration in
            guard let seconds = Double(text), seconds > 0, seconds <= 1e9 else {
                throw JupyterError.usage("--timeout wants a number of seconds, more than 0")
            }
            return .milliseconds(Int64(seconds * 1000))
        }
        let isNotebook = input.hasSuffix(".ipynb")
        var notebook: Notebook
        if isNotebook {
            notebook = try Notebook(contentsOf: input)
        } else {
            guard let data = FileManager.default.contents(atPath: input) else {
                throw JupyterError.file(path: input, reason: "cannot be read")
            }
            notebook = ScriptCells.notebook(from: String(decoding: data, as: UTF8.self))
        }
        let output = outputOption ?? (isNotebook ? defaultOutput(for: input) : nil)
        let imageBase = output ?? input
        let imageDirectory = (imageBase as NSString).deletingPathExtension + "_files"

        let spec =
            try kernelName.map { name throws(JupyterError) in try KernelSpec.find(named: name) }
            ?? KernelSpecInstaller.trainbookSpec(
                executable: KernelSpecInstaller.currentExecutablePath())
        // A reader that goes away is seen as a failed write (the end of output), not a signal
        // that would leave the kernel running.
        signal(SIGPIPE, SIG_IGN)
        let session = try KernelSession(spec: spec)
        defer { session.shutdown() }
        let runner = NotebookRunner(
            client: session.client,
            options: .init(
                cellTimeout: timeout, allowErrors: allowErrors, imageDirectory: imageDirectory),
            interruptKernel: { session.interrupt() })
        let result = try runner.run(&notebook, kernelInfo: session.info, spec: spec)
        if let output {
            try notebook.write(to: output)
            OutputPrinter.standardOutput("[executed notebook written to \(output)]\n", .stderr)
        }
        if let failed = result.failedCells.first {
            let note = allowErrors ? "" : "; stopped there"
            OutputPrinter.standardOutput(
                "trainbook: cell \(failed + 1) failed\(note) (\(result.failedCells.count) failed in all)\n",
                .stderr)
            return allowErrors ? 0 : 1
        }
        return 0
    }

    /// `dir/name.ipynb` -> `dir/name.out.ipynb`.
    static func defaultOutput(for input: String) -> String {
        (input as NSString).deletingPathExtension + ".out.ipynb"
    }
}

/// A kernel this process started and talks to, with Ctrl-C wired to interrupt it: the first
/// Ctrl-C interrupts the running cell, a second within two seconds shuts the kernel down and
/// exits.
final class KernelSession: Sendable {
    let kernel: RunningKernel
    let client: KernelClient
    let info: KernelInfoReply
    private let lastInterrupt = Mutex<ContinuousClock.Instant?>(nil)

    init(spec: KernelSpec) throws(JupyterError) {
        kernel = try KernelLauncher.launch(spec)
        do {
            client = try KernelClient(connection: kernel.connection)
            client.exitStatus = { [kernel] in kernel.exitStatus() }
            info = try client.waitForReady(timeout: .seconds(60))
        } catch {
            kernel.shutdown(client: nil, grace: .milliseconds(200))
            throw error
        }
        InterruptSignal.forward { [self] in handleControlC() }
        // Output piped into a reader that stops early (`| head`): end here, kernel included.
        OutputPrinter.onStandardOutputClosed.withLock { handler in
            handler = { [self] in
                kernel.shutdown(client: client, grace: .seconds(1))
                client.close()
                exit(128 + SIGPIPE)
            }
        }
    }

    /// Interrupts the kernel as its kernelspec says.
    func interrupt() {
        kernel.interrupt(client: client)
    }

    /// Shuts the kernel down (killing it after a grace period).
    func shutdown() {
        kernel.shutdown(client: client)
        client.close()
    }

    private func handleControlC() {
        let now = ContinuousClock.now
        let second = lastInterrupt.withLock { last in
            defer { last = now }
            return last.map { now - $0 < .seconds(2) } ?? false
        }
        if second {
            OutputPrinter.standardOutput(
                "\ntrainbook: interrupted twice, shutting the kernel down\n", .stderr)
            kernel.shutdown(client: nil, grace: .milliseconds(500))
            exit(130)
        }
        interrupt()
    }
}
