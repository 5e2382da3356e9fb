import Foundation

/// The one thread cells run on, created with a large stack so that deep (but bounded)
/// recursion in cell code and deeply nested expressions cannot overflow it. Callers hand it a
/// job and wait for the result; jobs run one at a time.
final class EvaluationThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: (() -> Void)?
    private var stopping = false
    private let callerLock = NSLock()

    /// Starts the thread with `stackSize` bytes of stack.
    init(stackSize: Int) {
        let thread = Thread { [self] in loop() }
        thread.stackSize = stackSize
        thread.name = "trainbook-cell"
        thread.start()
    }

    /// Runs `body` on the evaluation thread and returns its result.
    func run<T>(_ body: @escaping () -> T) -> T {
        callerLock.lock()
        defer { callerLock.unlock() }
        let result = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        condition.lock()
        if stopping {
            condition.unlock()
            return body()
        }
        pending = {
            result.value = body()
            done.signal()
        }
        condition.signal()
        condition.unlock()
        done.wait()
        return result.take(or: body)
    }

    /// Lets the thread end after its current job.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while pending == nil, !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
            let job = pending
            pending = nil
            condition.unlock()
            job?()
        }
    }
}

/// Carries a job's result back to the waiting caller.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?

    /// The result; if the thread has stopped and never ran the job, runs it here.
    func take(or body: () -> T) -> T {
        if let value { return value }
        return body()
    }
}
