import Cell
import Memory
import Tensor

/// The library state a session owns: the random source that `seed(n)` reseeds and library calls
/// draw from, and the memory budget tensors share with the session's other values. Installed
/// on the evaluating thread for the duration of each cell (`EvaluationScope`), so two
/// interpreters in one process draw their own reproducible sequences and keep their own limits.
/// Long tensor operations check the session's interrupt flag between their blocks
/// (`Interruption`). (The session's progress settings live in `Session.progress`.)
final class LibraryContext: EvaluationScope {
    /// The source library calls draw from when not given a generator.
    let random = RandomSource(seed: 0)
    /// The session's memory budget.
    let memory: MemoryBudget
    /// The session's interrupt flag.
    let interruptFlag: InterruptFlag

    init(memory: MemoryBudget, interruptFlag: InterruptFlag) {
        self.memory = memory
        self.interruptFlag = interruptFlag
    }

    func run<T>(_ body: () -> T) -> T {
        MemoryBudget.$current.withValue(memory) {
            RandomSource.$current.withValue(random) {
                Interruption.$source.withValue(interruptFlag) { body() }
            }
        }
    }
}

extension InterruptFlag: InterruptSource {}
