/// Steps through the batches of one epoch, each converted straight into its tensor's storage,
/// or assembling the next batch on a background thread while the caller trains on the current one.
///
/// `next()` throws only when the memory budget refuses a batch.
///
/// ```swift
/// var iterator = try data.train.batches(of: 128, shuffled: true).makeIterator(prefetching: true)
/// while let batch = try iterator.next() { … }
/// ```
public struct BatchIterator {
    /// The batches iterated.
    public let batches: Batches
    private var index = 0
    private let prefetcher: BatchPrefetcher?

    init(batches: Batches, prefetching: Bool) {
        self.batches = batches
        prefetcher = prefetching && batches.count > 1 ? BatchPrefetcher(batches) : nil
        prefetcher?.start(0)
    }

    /// The next batch, or nil after the last one.
    public mutating func next() throws(DataError) -> Batch? {
        guard index < batches.count else { return nil }
        defer { index += 1 }
        guard let prefetcher else { return try batches.batch(at: index) }
        let result = prefetcher.take()
        if index + 1 < batches.count { prefetcher.start(index + 1) }
        return try result.get()
    }
}
