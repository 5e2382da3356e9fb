import Dispatch
import Synchronization

/// Assembles one batch ahead on a background queue: `start(i)` begins batch i, `take()` waits
/// for it. At most one batch is in flight; a batch already started when the iterator is dropped
/// finishes and is discarded.
final class BatchPrefetcher: Sendable {
    private let batches: Batches
    private let slot = Mutex<Result<Batch, DataError>?>(nil)
    private let ready = DispatchSemaphore(value: 0)
    private let queue = DispatchQueue(label: "trainbook.data.prefetch", qos: .userInitiated)

    init(_ batches: Batches) {
        self.batches = batches
    }

    /// Begins assembling batch `index`.
    func start(_ index: Int) {
        queue.async { [self] in
            let result = Result { () throws(DataError) in try batches.batch(at: index) }
            slot.withLock { $0 = result }
            ready.signal()
        }
    }

    /// The batch last started, once it is ready.
    func take() -> Result<Batch, DataError> {
        ready.wait()
        return slot.withLock { slot in
            defer { slot = nil }
            return slot ?? .failure(.invalidArgument(operation: "next", message: "no batch"))
        }
    }
}
