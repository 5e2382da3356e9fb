import Foundation
import Synchronization

/// A seeded pseudo-random generator: xoshiro256** (Blackman & Vigna, 2018, "Scrambled Linear
/// Pseudorandom Number Generators"), its 256-bit state filled from the seed by SplitMix64 as
/// the authors recommend.
///
/// Every random API in Trainbook takes a generator `inout`; the overloads without one draw from
/// the current `RandomSource`, which each session owns and reseeds, so `seed(42)` makes
/// initialisation, shuffles and dropout reproducible.
///
/// ```swift
/// var rng = RandomGenerator(seed: 42)
/// let w = try Tensor.normal([128, 784], standardDeviation: 0.05, using: &rng)
/// RandomGenerator.seedDefault(42)   // reseeds the current RandomSource, as seed(42) does
/// ```
public struct RandomGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose sequence is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        state = (
            Self.splitMix64(&splitMix), Self.splitMix64(&splitMix), Self.splitMix64(&splitMix),
            Self.splitMix64(&splitMix)
        )
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A Float uniformly distributed in [0, 1), from the top 24 bits.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A Float from the standard normal distribution, by the Box–Muller transform (Box &
    /// Muller, 1958, "A Note on the Generation of Random Normal Deviates").
    public mutating func nextNormal() -> Float {
        let u1 = (Double(next() >> 11) + 1) * 0x1p-53  // (0, 1]: the logarithm stays finite
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float(Foundation.sqrt(-2 * Foundation.log(u1)) * Foundation.cos(2 * Double.pi * u2))
    }

    /// A generator for an independent stream, seeded from this one (advances this one).
    public mutating func split() -> RandomGenerator {
        RandomGenerator(seed: next())
    }

    /// Two generators are equal when they will produce the same sequence.
    public static func == (lhs: RandomGenerator, rhs: RandomGenerator) -> Bool {
        lhs.state == rhs.state
    }

    /// Hashes the state.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(state.0)
        hasher.combine(state.1)
        hasher.combine(state.2)
        hasher.combine(state.3)
    }

    private static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    @inline(__always)
    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}

// MARK: - The default generator

/// A shared random generator that library calls draw from when they are not given one: each
/// session owns one (`seed(42)` reseeds it) and installs it for its cells as
/// `RandomSource.current`, so two sessions in one process draw independent, reproducible
/// sequences. Code outside any session uses `RandomSource.process`.
///
/// ```swift
/// let source = RandomSource(seed: 42)
/// RandomSource.$current.withValue(source) {
///     let w = try Tensor.normal([4, 4])   // from source
/// }
/// ```
public final class RandomSource: Sendable {
    private let generator: Mutex<RandomGenerator>

    /// A source whose sequence is determined by `seed`.
    public init(seed: UInt64) {
        generator = Mutex(RandomGenerator(seed: seed))
    }

    /// Restarts the sequence from `seed`.
    public func reseed(_ seed: UInt64) {
        generator.withLock { $0 = RandomGenerator(seed: seed) }
    }

    /// A generator for an independent stream, seeded from this source (advances it).
    public func split() -> RandomGenerator {
        generator.withLock { $0.split() }
    }

    /// The source of the running cell, or `process` outside any session.
    @TaskLocal public static var current = RandomSource.process

    /// The source of library code that runs outside any session, seeded at random.
    public static let process = RandomSource(seed: UInt64.random(in: .min ... .max))
}

extension RandomGenerator {
    /// Reseeds the current default source (`RandomSource.current`), making every later draw
    /// from it reproducible.
    public static func seedDefault(_ seed: UInt64) {
        RandomSource.current.reseed(seed)
    }

    /// Runs `body` with a generator split from the current default source
    /// (`RandomSource.current`).
    ///
    /// ```swift
    /// let order = RandomGenerator.withDefault { rng in (0..<n).shuffled(using: &rng) }
    /// ```
    public static func withDefault<Result>(
        _ body: (inout RandomGenerator) throws -> Result
    ) rethrows -> Result {
        var generator = RandomSource.current.split()
        return try body(&generator)
    }
}
