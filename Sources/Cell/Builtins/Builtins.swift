/// The builtins the language itself owns, registered through the same registry as library
/// bindings: output, math, conversions, collections, strings, assertions, the environment.
enum Builtins {
    /// Adds every builtin to `registry`.
    static func install(into registry: Registry) {
        installOutput(into: registry)
        installDisplay(into: registry)
        installMath(into: registry)
        installConversions(into: registry)
        installAssertions(into: registry)
        installEnvironment(into: registry)
        installSequences(into: registry)
        installArray(into: registry)
        installString(into: registry)
        installStringMutations(into: registry)
        installDictionary(into: registry)
        installNumbers(into: registry)
    }
}
