import CSodium
import Synchronization

/// A bounded memory of recently seen message signatures, to reject replayed messages.
///
/// Like jupyter_client's `digest_history`, it remembers the last `capacity` signatures; the
/// oldest is forgotten first. Shared by all channels of a kernel, from any thread.
///
/// Each signature is kept as a 16-byte BLAKE2b digest of its bytes, inline in two arrays (a set
/// and a ring), rather than as an array of its own: a long session's 65,536 remembered
/// signatures take about 3 MiB instead of 9 MiB and 65,536 small heap blocks, which stayed
/// behind after `%reset` and kept the pages around them resident. Two different signatures
/// share a digest with a probability of about 2^-128 per pair, far below that of guessing
/// the connection key.
public final class SignatureHistory: Sendable {
    /// A signature's digest.
    private struct Digest: Hashable {
        var low: UInt64
        var high: UInt64

        init(of signature: [UInt8]) {
            var bytes = (UInt64(0), UInt64(0))
            withUnsafeMutableBytes(of: &bytes) { digest in
                guard let output = digest.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
                    return
                }
                _ = crypto_generichash(
                    output, digest.count, signature, UInt64(signature.count), nil, 0)
            }
            (low, high) = bytes
        }
    }

    private struct State {
        var seen: Set<Digest> = []
        var order: [Digest] = []
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
        let digest = Digest(of: signature)
        return state.withLock { state in
            guard !state.seen.contains(digest) else { return false }
            state.seen.insert(digest)
            if state.order.count < capacity {
                state.order.append(digest)
            } else {
                state.seen.remove(state.order[state.next])
                state.order[state.next] = digest
                state.next = (state.next + 1) % capacity
            }
            return true
        }
    }

    /// The bytes the remembered signatures take (the set's and the ring's storage).
    var storageBytes: Int {
        state.withLock { state in
            (state.seen.capacity + state.order.capacity) * MemoryLayout<Digest>.stride
        }
    }
}
