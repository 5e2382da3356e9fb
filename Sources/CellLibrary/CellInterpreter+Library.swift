import Cell
import Memory
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
