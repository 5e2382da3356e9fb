// Bindings: the Tensor, NN and Data libraries as the cell language sees them.
//
// Design note. Every library type and function is declared once through the Registry, so the
// evaluator, argument checking, completion, Shift-Tab inspection and `%help` all know it. One file
// per bound family (tensors, activations, layers, Sequential, losses, optimizers, schedules,
// regularizers, gradients, training, data); this file only lists them.
//
// Library objects travel as `.host` values: tensors and gradients are copy-on-write values, and
// layers, optimizers, data sets and histories are references, so `model.fit(…)` trains the
// model in place. A user struct that conforms to `Layer` is adapted by `UserLayerAdaptor`, which
// finds its parameters by walking its stored properties and calls its `callAsFunction` back into
// the interpreter, so it trains inside a Sequential and under `valueWithGradient(of:)`.
//
// Values are converted at the edges, kindly: Int and Double mix with tensors, nested arrays
// become tensors, integer tensors are promoted to Float32 where arithmetic needs it. Library
// errors reach the cell as errors with their own messages (`ShapeError: matmul: shapes [2, 3] and
// [4, 5] do not match …`, see `LibraryErrors.swift`); nothing a cell passes can trap.
//
// Each session owns a `LibraryContext`: its random source, which `seed(n)` and `%seed n` reseed
// (initialisation, shuffles, dropout), and its memory budget, which tensors share with the
// session's arrays and strings; both are installed for the duration of each cell. Training progress goes through one seam,
// `TrainingDisplay`; the display layer (DisplayBindings.swift) implements it and gives library
// values their tables and charts.
import Cell
import Memory
import NN
import Tensor

/// Installs the library bindings into a registry: what `CellInterpreter` calls at set-up.
enum LibraryBindings {
    /// Registers every bound type and function, and the session's library context (its random
    /// source, following the session's seed, and its memory budget).
    ///
    /// - Parameters:
    ///   - registry: the registry to extend.
    ///   - resources: the session's memory budget, which tensors share with its other values,
    ///     and its interrupt flag, which long tensor operations check between blocks.
    ///   - communicator: a cluster rank's collectives (`trainbook-worker`), nil elsewhere.
    static func install(
        into registry: Registry, resources: LibraryResources,
        communicator: (any Communicator)? = nil
    ) {
        let context = LibraryContext(
            memory: resources.memory, interruptFlag: resources.interruptFlag)
        registry.setEvaluationScope(context)
        registry.onSeed { [context] in context.random.reseed($0) }
        TensorBindings.install(into: registry)
        ActivationBindings.install(into: registry)
        LayerBindings.install(into: registry)
        SequentialBindings.install(into: registry)
        LossBindings.install(into: registry)
        DistillationBindings.install(into: registry)
        MeasurementBindings.install(into: registry)
        RegularizerBindings.install(into: registry)
        OptimizerBindings.install(into: registry)
        ScheduleBindings.install(into: registry)
        GradientBindings.install(into: registry)
        TrainingBindings.install(into: registry, communicator: communicator)
        DataBindings.install(into: registry)
        DisplayBindings.install(into: registry)
        ProgressMagic.install(into: registry)
        StudyBindings.install(into: registry)
        PruningBindings.install(into: registry)
        QuantizationBindings.install(into: registry)
        if let communicator {
            CollectiveBindings.install(into: registry, communicator: communicator)
        }
    }
}
