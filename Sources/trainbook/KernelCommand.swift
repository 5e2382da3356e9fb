import Cell
import CellLibrary
import Cluster
import Foundation
import Jupyter
import KernelInterface
import Tensor

#if canImport(Glibc)
    import Glibc
#endif

/// `trainbook kernel -f CONNECTION_FILE [--allow-unsigned]`: runs as a Jupyter kernel until
/// shut down.
///
/// Ports given as 0 are bound to free ports and written back to the connection file (as
/// ipykernel does), so that clients can find them. A connection file without a key is refused
/// on a non-loopback address unless `--allow-unsigned` or `TRAINBOOK_ALLOW_UNSIGNED=1`.
enum KernelCommand {
    static let usage = "usage: trainbook kernel -f CONNECTION_FILE [--allow-unsigned]"

    /// Serves the kernel; SIGINT must already be blocked (see `main.swift`).
    static func run(_ arguments: Arguments) throws(JupyterError) -> Never {
        var arguments = arguments
        let allowsUnsigned = arguments.flag("--allow-unsigned")
        guard let path = try arguments.option("-f", "--connection-file"),
            try arguments.positional().isEmpty
        else {
            throw JupyterError.usage(usage)
        }
        let connection = try ConnectionInfo(contentsOf: path)
        var configuration = KernelServer.Configuration(connection: connection)
        configuration.allowsUnsignedRemote =
            allowsUnsigned || ProcessInfo.processInfo.environment["TRAINBOOK_ALLOW_UNSIGNED"] == "1"
        configuration.onStuckShutdown = { _exit(0) }
        // Cells run on the server's execution thread, with the stack they need: no hand-over
        // to another thread per request.
        // OpenBLAS's kernels are chosen (BLASStartUp) before any thread can multiply.
        BLAS.startUp()
        var cells = CellInterpreter.Configuration.withLibrary
        cells.evaluatesOnCallingThread = true
        cells.blasDescription = { BLAS.description }
        let executable = KernelSpecInstaller.currentExecutablePath()
        cells.bindings.append { ClusterBindings.install(into: $0, executable: executable) }
        configuration.executionStackSize = max(configuration.executionStackSize, cells.stackSize)
        // The library registry is set up on a thread of its own while the sockets are bound
        // and kernel_info is answered; the first cell waits for it if it must.
        let interpreter = PreparedInterpreter(info: CellInterpreter.info(for: cells)) {
            CellInterpreter(configuration: cells)
        }
        let server = try KernelServer(interpreter: interpreter, configuration: configuration)
        if server.connection != connection { try server.connection.write(to: path) }
        InterruptSignal.forward { server.interrupt() }
        server.run()
        exit(0)
    }
}
