/// The session's seeded random number generator: xoshiro256** (Blackman and Vigna,
/// "Scrambled linear pseudorandom number generators", ACM TOMS 2021), seeded through SplitMix64.
///
/// `seed(42)` and `%seed 42` reset it, so shuffles, initialisation and searches that draw from
/// it are reproducible.
///
/// ```swift
/// let random = SessionRandom(seed: 42)
/// let x = Double.random(in: 0..<1, using: &random)
/// ```
public final class SessionRandom: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The seed last set.
    public private(set) var seed: UInt64 = 0

    /// A generator seeded with `seed`.
    public init(seed: UInt64) {
        reseed(seed)
    }

    /// Restarts the sequence from `seed`.
    public func reseed(_ seed: UInt64) {
        self.seed = seed
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    public func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
