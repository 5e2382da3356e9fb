import Cell
import CellLibrary
import Jupyter
import KernelInterface
import Tensor

#if canImport(Glibc)
    import Glibc
#endif

/// `trainbook kernel -f CONNECTION_FILE`: runs as a Jupyter kernel until shut down.
enum KernelCommand {
    static let usage = "usage: trainbook kernel -f CONNECTION_FILE"

    /// Serves the kernel; SIGINT must already be blocked (see `main.swift`).
    static func run(_ arguments: Arguments) throws(JupyterError) -> Never {
        var arguments = arguments
        guard let path = try arguments.option("-f", "--connection-file"),
            try arguments.positional().isEmpty
        else {
            throw JupyterError.usage(usage)
        }
        var configuration = KernelServer.Configuration(
            connection: try ConnectionInfo(contentsOf: path))
        configuration.onStuckShutdown = { _exit(0) }
        // Cells run on the server's execution thread, with the stack they need: no hand-over
        // to another thread per request.
        // OpenBLAS's kernels are chosen (BLASStartUp) before any thread can multiply.
        BLAS.startUp()
        var cells = CellInterpreter.Configuration.withLibrary
        cells.evaluatesOnCallingThread = true
        cells.blasDescription = { BLAS.description }
        configuration.executionStackSize = max(configuration.executionStackSize, cells.stackSize)
        let server = try KernelServer(
            interpreter: CellInterpreter(configuration: cells), configuration: configuration)
        InterruptSignal.forward { server.interrupt() }
        server.run()
        exit(0)
    }
}
