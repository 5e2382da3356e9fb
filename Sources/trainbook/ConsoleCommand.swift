import Jupyter
import KernelInterface

#if canImport(Glibc)
    import Glibc
#endif

/// `trainbook console`: an interactive console on a new kernel (Trainbook's, or --kernel
/// NAME) or on a running one (--existing CONNECTION_FILE, left running on exit); with
/// --images DIR, the images of results and displays are saved there and their paths printed.
enum ConsoleCommand {
    static let usage =
        "usage: trainbook console [--existing CONNECTION_FILE | --kernel NAME] [--images DIR]"

    static func run(_ arguments: Arguments) throws(JupyterError) {
        var arguments = arguments
        let existing = try arguments.option("--existing")
        let kernelName = try arguments.option("--kernel")
        let images = try arguments.option("--images")
        guard try arguments.positional().isEmpty, existing == nil || kernelName == nil else {
            throw JupyterError.usage(usage)
        }
        // A reader that goes away is seen as a failed write, not a signal that would leave the
        // kernel running.
        signal(SIGPIPE, SIG_IGN)
        if let existing {
            let client = try KernelClient(connection: try ConnectionInfo(contentsOf: existing))
            defer { client.close() }
            let info = try client.waitForReady(timeout: .seconds(30))
            InterruptSignal.forward { try? client.interrupt() }
            try ConsoleSession(client: client, editor: LineEditor(), imageDirectory: images).run(
                banner: info.info.banner)
            return
        }
        let spec =
            try kernelName.map { name throws(JupyterError) in try KernelSpec.find(named: name) }
            ?? KernelSpecInstaller.trainbookSpec(
                executable: KernelSpecInstaller.currentExecutablePath())
        let session = try KernelSession(spec: spec)
        defer { session.shutdown() }
        try ConsoleSession(client: session.client, editor: LineEditor(), imageDirectory: images)
            .run(banner: session.info.info.banner)
    }
}
