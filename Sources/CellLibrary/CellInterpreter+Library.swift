import Cell
import Memory
import NN
import Tensor

extension CellInterpreter.Configuration {
    /// The default limits with Trainbook's library (Tensor, NN, Data, Plot) bound after the
    /// language's builtins: what the kernel, `trainbook run`, cell-fuzz and the tests start from.
    ///
    /// ```swift
    /// var configuration = CellInterpreter.Configuration.withLibrary
    /// configuration.memoryLimit = 1 << 30
    /// let interpreter = CellInterpreter(configuration: configuration)
    /// ```
    public static var withLibrary: CellInterpreter.Configuration {
        var configuration = CellInterpreter.Configuration()
        configuration.library = { registry, resources in
            LibraryBindings.install(into: registry, resources: resources)
        }
        configuration.releaseCachedMemory = { MemoryBudget.releaseCachedBuffers() }
        return configuration
    }
}

extension CellInterpreter.Configuration {
    /// `withLibrary` plus the collectives of a cluster rank (`rank`, `worldSize`, `barrier`,
    /// `allReduce`, `broadcast`, `gather`) over `communicator`: what `trainbook-worker` runs.
    ///
    /// ```swift
    /// let interpreter = CellInterpreter(configuration: .withLibrary(communicator: world))
    /// ```
    public static func withLibrary(communicator: any Communicator) -> CellInterpreter.Configuration
    {
        var configuration = CellInterpreter.Configuration()
        configuration.library = { registry, resources in
            LibraryBindings.install(
                into: registry, resources: resources, communicator: communicator)
        }
        return configuration
    }
}
