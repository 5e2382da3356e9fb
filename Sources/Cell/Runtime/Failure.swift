/// A `CellError` on its way up the evaluator, with where it happened and the calls it passed
/// through; what the interpreter turns into a traceback.
package struct Failure: Error {
    package var error: CellError
    /// Where the error was raised, if known.
    package var location: SourceLocation?
    /// The call chain, innermost first: each entry is a position and the function it is in.
    var frames: [TraceFrame] = []

    package init(_ error: CellError, at location: SourceLocation?) {
        self.error = error
        self.location = location
    }

    /// Records that the failure left the function `callee` through the call at `site`, which
    /// is inside the function `caller`.
    mutating func passed(through site: SourceLocation, callee: String, caller: String) {
        // The end of an optional chain is a signal for the chain, not an error to trace.
        if isOptionalChainExit { return }
        if frames.isEmpty, let location, location.range == site.range,
            location.file === site.file
        {
            // The error is the call itself (bad arguments): no frame inside the callee.
            return
        }
        if frames.isEmpty, let location {
            frames.append(TraceFrame(location: location, function: callee))
        } else if frames.isEmpty {
            frames.append(TraceFrame(location: site, function: callee))
            return
        }
        frames.append(TraceFrame(location: site, function: caller))
    }
}

/// One line of a traceback: a position and the function around it.
struct TraceFrame {
    var location: SourceLocation
    var function: String
}

/// Runs `body`, attaching `location` to a `CellError` it throws.
@inline(__always)
func located<T>(_ location: SourceLocation?, _ body: () throws(CellError) -> T) throws(Failure) -> T
{
    do {
        return try body()
    } catch {
        throw Failure(error, at: location)
    }
}

/// Converts any error thrown by library code into a `Failure`, keeping failures and cell errors
/// as they are.
func failure(from error: any Error, at location: SourceLocation?) -> Failure {
    if let failure = error as? Failure { return failure }
    if let cellError = error as? CellError { return Failure(cellError, at: location) }
    if let reportable = error as? any ReportableError {
        if reportable.isInterruption { return Failure(.interrupted, at: location) }
        return Failure(
            .library(name: reportable.errorName, message: reportable.errorMessage), at: location)
    }
    let name = String(describing: type(of: error))
    return Failure(.library(name: name, message: String(describing: error)), at: location)
}

/// An error from library code that names its own kind and message in tracebacks; errors that
/// do not adopt it show their type name and `description`.
///
/// ```swift
/// extension TensorError: ReportableError {
///     var errorName: String { "ShapeError" }
///     var errorMessage: String { description }
/// }
/// ```
public protocol ReportableError: Error {
    /// The kind shown as the error's name, e.g. `ShapeError`.
    var errorName: String { get }
    /// The one-line cause.
    var errorMessage: String { get }
    /// Whether the error is the library's report of an interrupt (a long tensor product that
    /// stopped between its blocks): the cell then fails as interrupted, as the language's own
    /// loops do.
    var isInterruption: Bool { get }
}

extension ReportableError {
    /// Library errors are not interrupts unless they say so.
    public var isInterruption: Bool { false }
}
