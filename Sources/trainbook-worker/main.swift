// trainbook-worker: one rank of a Trainbook cluster, started by `mpirun` from the kernel's
// `%cluster start` (or by the user's mpirun/srun with --registration-dir, for `%cluster attach`).
// The rank is a Jupyter kernel over its own ports (what ipyparallel's MPI
// engines are to IPython) whose cells also have the MPI collectives; it tells the kernel where
// it listens with one registration message (protocol/cluster.md) and then serves until the
// kernel sends shutdown_request. Thin wiring over the libraries.
import Cell
import CellLibrary
import Cluster
import ClusterMPI
import Foundation
import Jupyter
import NN
import Tensor

#if canImport(Glibc)
    import Glibc
#endif

let usage =
    "usage: trainbook-worker --register tcp://HOST:PORT [--threads N] (started by %cluster start)\n"
    + "       trainbook-worker --registration-dir DIR [--advertise HOST] [--threads N] "
    + "(under mpirun or srun; then %cluster attach DIR)"

func fail(_ message: String) -> Never {
    var text = "trainbook-worker: \(message)\n"
    text.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    exit(2)
}

// mpirun starts a supervisor, which starts the rank itself and reports how it ends.
if RankSupervisor.isNeeded { RankSupervisor.run() }

// SIGINT interrupts the running cell (the kernel interrupts ranks by message; this covers a
// Ctrl-C given to an mpirun started by hand).
InterruptSignal.install()

var options: WorkerOptions
do throws(ClusterError) {
    options = try WorkerOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error.description)\n\(usage)")
}

let world: MPICommunicator
do throws(CommunicationError) {
    world = try MPICommunicator.initialize()
} catch {
    fail(error.description)
}

if let threads = options.threads {
    Parallelism.threadCount = threads
    Parallelism.blasThreadCount = threads
}
BLAS.startUp()

// Ranks attached through files without a key from their launcher make their own (each file
// carries its rank's key, readable by its owner only).
let key =
    ProcessInfo.processInfo.environment[WorkerOptions.keyVariable]
    ?? (options.registrationDirectory != nil ? UUID().uuidString + UUID().uuidString : "")
var cells = CellInterpreter.Configuration.withLibrary(communicator: world)
cells.evaluatesOnCallingThread = true
cells.blasDescription = { BLAS.description }
var configuration = KernelServer.Configuration(
    connection: ConnectionInfo(
        ip: options.bindAddress, key: key, kernelName: "trainbook-rank-\(world.rank)",
        ports: Dictionary(uniqueKeysWithValues: Channel.allCases.map { ($0, 0) })))
configuration.executionStackSize = max(configuration.executionStackSize, cells.stackSize)
configuration.historyPath = nil
configuration.onStuckShutdown = { _exit(0) }
let server: KernelServer
do throws(JupyterError) {
    server = try KernelServer(
        interpreter: CellInterpreter(configuration: cells), configuration: configuration)
    var reachable = server.connection
    reachable.ip = options.advertisedAddress
    let registration = RankRegistration(
        rank: world.rank, size: world.size, host: ProcessInfo.processInfo.hostName,
        pid: Int(getpid()), connection: reachable)
    if let endpoint = options.registrationEndpoint {
        try RegistrationSender.send(registration, to: endpoint)
    } else if let directory = options.registrationDirectory {
        do throws(ClusterError) {
            try RegistrationDirectory.write(registration, into: directory)
        } catch {
            fail(error.description)
        }
    }
} catch {
    fail(error.description)
}
InterruptSignal.forward { server.interrupt() }
// A kernel that started the rank is its lifeline; attached ranks live until %cluster stop or
// their launcher ends them.
if let endpoint = options.registrationEndpoint { KernelLifeline.watch(endpoint) }
server.run()
world.finalize()
exit(0)
