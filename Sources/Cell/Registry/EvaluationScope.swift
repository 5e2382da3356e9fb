/// Something every evaluation of a session runs inside: the library bindings install their
/// per-session state (random source, memory budget) for the duration of each cell this way,
/// so the language core need not know what that state is.
///
/// ```swift
/// struct Scope: EvaluationScope {
///     func run<T>(_ body: () -> T) -> T { Budget.$current.withValue(budget) { body() } }
/// }
/// registry.setEvaluationScope(Scope())
/// ```
public protocol EvaluationScope: AnyObject {
    /// Runs `body` with the scope's state installed, and returns its result.
    func run<T>(_ body: () -> T) -> T
}
