import Synchronization

/// A bounded memory of recently seen message signatures, to reject replayed messages.
///
/// Like jupyter_client's `digest_history`, it remembers the last `capacity` signatures; the
/// oldest is forgotten first. Shared by all channels of a kernel, from any thread.
public final class SignatureHistory: Sendable {
    private struct State {
        var seen: Set<[UInt8]> = []
        var order: [[UInt8]] = []
        var next = 0
    }

    private let state = Mutex(State())
    /// How many signatures are remembered.
    public let capacity: Int

    /// Creates an empty history.
    ///
    /// - Parameter capacity: signatures remembered (jupyter_client's default is 2^16).
    public init(capacity: Int = 1 << 16) {
        self.capacity = max(1, capacity)
    }

    /// Records `signature`; returns false when it was already recorded (a replay).
    public func insert(_ signature: [UInt8]) -> Bool {
        state.withLock { state in
            guard !state.seen.contains(signature) else { return false }
            state.seen.insert(signature)
            if state.order.count < capacity {
                state.order.append(signature)
            } else {
                state.seen.remove(state.order[state.next])
                state.order[state.next] = signature
                state.next = (state.next + 1) % capacity
            }
            return true
        }
    }
}
