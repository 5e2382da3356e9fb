/// Cell code captured by a library closure that must be `@Sendable` (a custom loss, a metric, a
/// callback). Library code calls it only on the evaluation thread that runs the cell, so the
/// captured value is never shared across threads.
import Cell

struct CellCallback: @unchecked Sendable {
    /// The callable value: a closure, a function or a callable object.
    let function: Value
    private weak var session: Session?

    init(_ function: Value, session: Session) {
        self.function = function
        self.session = session
    }

    /// Calls the function with `arguments`.
    ///
    /// - Throws: the cell code's error, or `invalidValue` when the session has ended.
    func call(_ arguments: [Value]) throws -> Value {
        guard let session else {
            throw CellError.invalidValue("the session that defined this function has ended")
        }
        return try session.call(function, arguments)
    }

    /// The session, while it exists.
    var liveSession: Session? { session }
}
