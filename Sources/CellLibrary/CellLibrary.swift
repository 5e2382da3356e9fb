// CellLibrary: the library types and functions (Tensor, NN, Data, Plot) bound into the cell
// language.
//
// Design note. The language core (`Cell`) depends on KernelInterface alone and knows no library:
// `CellInterpreter.Configuration.library` is an installer it calls after its own builtins. This
// module provides Trainbook's as `CellInterpreter.Configuration.withLibrary`, which the
// `trainbook` executable, cell-fuzz and the tests start from:
//
//     var configuration = CellInterpreter.Configuration.withLibrary
//     configuration.memoryLimit = 1 << 30
//     let interpreter = CellInterpreter(configuration: configuration)
//
// What the bindings need of Cell beyond its public API (the session's output, implicit members,
// host functions, `Failure`) is `package`, visible inside this package only. Per-session state a
// library keeps (progress settings) lives in `Session.libraryState`; a library's magics
// (`%progress`) are registered with `Registry.magic`.
//
// One file per bound family or library type (`LayerBindings.swift`, `OptimizerBindings.swift`);
// `LibraryBindings.install` lists them. A binding declares each parameter once, typed, and reads
// it by handle, so the Swift type is the cell-language type and adding a parameter shifts
// nothing. The declaration is what argument checking, completion of labels, Shift-Tab
// inspection and `%help` read; `Registry.typeProblems()` (run over the whole library by a test)
// rejects a type name that is not registered.
//
// A new module's bindings (Tune, Compress) follow this shape, in a file of their own:
//
//     import Cell
//     import Tune
//
//     extension Study: HostArgument { public static let cellTypeName = "Study" }
//
//     enum StudyBindings {
//         static let module = "Tune"
//
//         static func install(into registry: Registry) {
//             registry.type(Study.self, name: Study.cellTypeName, kind: .reference,
//                           module: module, doc: "A hyperparameter search: `study.run()`.") { type in
//                 let trials = Param<Int>.labelled("trials", default: 20)
//                 let seed = Param<UInt64?>.labelled("seed", as: .seed, default: .nilValue)
//                 let objective = Param<Value>.positional("objective")   // a closure, called back
//                 type.initializer(parameters: [trials, seed, objective],
//                                  doc: "A study of `trials` trials.") { arguments in
//                     try arguments.wrap(
//                         Study(trials: try arguments[trials], seed: try arguments[seed]) { … })
//                 }
//                 let count = Param<Int?>.optional("count")
//                 type.method("run", parameters: [count], returns: "Study", doc: "Runs the trials.")
//                 { study, arguments in
//                     try study.run(count: try arguments[count])
//                     return try arguments.wrap(study)
//                 }
//             }
//         }
//     }
//
// then one line in `LibraryBindings.install`: `StudyBindings.install(into: registry)`.
// Parameter types: `Int`, `Double`, `Float` (a Double in cells), `Bool`, `String`, `Value` (any
// value, read by the binding), arrays and optionals of those, and library types conforming to
// `HostArgument` (HostArguments.swift). Readings that are a choice rather than a type are named
// kinds (ArgumentKinds.swift): `.tensor`/`.floatTensor` (tensors from numbers or nested
// arrays), `.shape`, `.axes`, `.size2D`, `.layer` (library layers and user structs),
// `.optimizer`, `.seed`. Defaults: `default: 1` for literal types, `Param<T?>.optional("x")`
// for nil, `shown:` for the text a signature shows when it is not the value (`softmaxCrossEntropy`
// for nil). Several bindings sharing options group their handles in a small struct with an
// `all` list (`LayerBindings.WeightedOptions`); options several bindings read the same way get
// one resolver (`FitArguments`, which `fit` and `fineTune` share).
import Cell

/// A registry parameter: Cell's, not NN's trainable `Parameter`.
typealias Parameter = Cell.Parameter
