import Memory

/// Everything that can go wrong while a cell runs, with the message a user can act on.
///
/// Library bindings throw these (or their own errors, which the language reports as
/// `library`); the evaluator attaches the source location and the chain of calls.
public enum CellError: Error, Sendable, Equatable {
    /// A name that is not defined; `suggestion` is a close match, if any.
    case undefinedName(String, suggestion: String?)
    /// A member that the value's type does not have; `suggestion` is a close match, if any.
    case noMember(type: String, member: String, suggestion: String?)
    /// A value of the wrong type for an operation, with the whole explanation.
    case typeMismatch(String)
    /// A call whose arguments do not match the parameters (labels, count, types).
    case badArguments(String)
    /// An index outside a collection.
    case indexOutOfRange(String)
    /// Integer division or remainder by zero.
    case divisionByZero
    /// Integer arithmetic whose result does not fit in 64 bits.
    case overflow(String)
    /// Assignment to a `let` constant or another immutable place.
    case immutable(String)
    /// `!` or an implicit unwrap found nil.
    case unexpectedNil(String)
    /// `assert` or `precondition` failed; the message is the user's.
    case assertionFailed(String)
    /// `fatalError(…)` was called; the message is the user's.
    case fatal(String)
    /// Calls nested deeper than the recursion limit.
    case recursionLimit(Int)
    /// An allocation would exceed the memory budget, with `inUseBytes` already in use.
    case memoryBudget(requestedBytes: Int, inUseBytes: Int, budgetBytes: Int)
    /// A sequence has more elements than an array may be made of (`Array(0..<60_000_000)`).
    case tooManyElements(count: Int, limit: Int)
    /// The user interrupted the cell.
    case interrupted
    /// A value that is of the right type but not acceptable (`Int(Double.nan)`, a bad range).
    case invalidValue(String)
    /// A problem reading input from the front end.
    case input(String)
    /// Code that does not parse, found while running it (the body of `%%time`, `%timeit`).
    case syntax(String)
    /// An error thrown by library code; `name` is its kind, e.g. `ShapeError`.
    case library(name: String, message: String)

    /// The error's kind as Jupyter shows it (`ename`).
    public var name: String {
        switch self {
        case .undefinedName: return "NameError"
        case .noMember: return "AttributeError"
        case .typeMismatch, .badArguments: return "TypeError"
        case .indexOutOfRange: return "IndexError"
        case .divisionByZero: return "ZeroDivisionError"
        case .overflow: return "OverflowError"
        case .immutable: return "MutabilityError"
        case .unexpectedNil: return "NilError"
        case .assertionFailed: return "AssertionError"
        case .fatal: return "FatalError"
        case .recursionLimit: return "RecursionError"
        case .memoryBudget, .tooManyElements: return "MemoryError"
        case .interrupted: return "KeyboardInterrupt"
        case .invalidValue: return "ValueError"
        case .input: return "StdinNotImplementedError"
        case .syntax: return "SyntaxError"
        case .library(let name, _): return name
        }
    }

    /// The one-line cause (`evalue`).
    public var message: String {
        switch self {
        case .undefinedName(let name, let suggestion):
            return "cannot find '\(name)' in scope" + Self.didYouMean(suggestion)
        case .noMember(let type, let member, let suggestion):
            return "\(type) has no member '\(member)'" + Self.didYouMean(suggestion)
        case .typeMismatch(let text), .badArguments(let text), .indexOutOfRange(let text),
            .overflow(let text), .immutable(let text), .unexpectedNil(let text),
            .invalidValue(let text), .input(let text), .syntax(let text):
            return text
        case .divisionByZero: return "division by zero"
        case .assertionFailed(let text):
            return text.isEmpty ? "assertion failed" : "assertion failed: \(text)"
        case .fatal(let text): return text.isEmpty ? "fatal error" : "fatal error: \(text)"
        case .recursionLimit(let limit):
            return "maximum recursion depth of \(limit) calls exceeded; "
                + "check the function's base case"
        case .memoryBudget(let requested, let inUse, let budget):
            let used = requested > budget ? "" : " with \(ByteCount(inUse)) already in use"
            return "this would allocate \(ByteCount(requested))\(used), beyond the memory budget "
                + "of \(ByteCount(budget)); use smaller data, free large values or raise the budget"
        case .tooManyElements(let count, let limit):
            return "an array of \(count) elements is more than the \(limit) one array may hold; "
                + "loop over the sequence instead of making an array of it"
        case .interrupted: return "execution interrupted by the user"
        case .library(_, let message): return message
        }
    }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }
}
