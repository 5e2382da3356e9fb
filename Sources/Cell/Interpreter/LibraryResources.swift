import Memory

/// What a session lends the library bound into it (`CellInterpreter.Configuration.library`):
/// the memory budget its allocations share with the session's arrays and strings, and the
/// interrupt flag its long operations check between blocks.
public struct LibraryResources {
    /// The session's memory budget.
    public let memory: MemoryBudget
    /// The flag an interrupt raises for the running cell.
    public let interruptFlag: InterruptFlag
}
