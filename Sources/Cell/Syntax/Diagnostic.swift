/// A syntax problem found while lexing or parsing, at a range of the cell.
///
/// The parser never stops at the first problem: it records a diagnostic, puts a *missing* node in
/// the tree and goes on, so completion and `is_complete` always get a tree.
struct Diagnostic: Sendable, Equatable {
    /// The one-line cause, e.g. `expected ')' to close the argument list`.
    var message: String
    /// Where the problem is.
    var range: SourceRange
    /// The problem is that the cell ended too early (an open bracket, an unterminated string or
    /// comment, a trailing operator): adding lines could fix it.
    var atEndOfInput: Bool = false
}
