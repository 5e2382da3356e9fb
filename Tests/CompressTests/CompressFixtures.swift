import Data
import NN
import Tensor

/// Small seeded models and data sets for the compression tests.
enum CompressFixtures {
    /// Data's Gaussian blobs: 3 classes of 40 points in 2-d, almost separable.
    static func blobs(seed: UInt64 = 1) throws -> Dataset {
        var generator = RandomGenerator(seed: seed)
        return try Synthetic.blobs(centers: 3, pointsPerCenter: 40, using: &generator)
    }

    /// `2 → hidden (relu) → hidden (relu) → 3`, seeded.
    static func mlp(hidden: Int = 16, seed: UInt64 = 3) throws -> Sequential {
        try Sequential {
            try Dense(2, hidden, activation: .relu, seed: seed)
            try Dense(hidden, hidden, activation: .relu, seed: seed + 1)
            try Dense(hidden, 3, seed: seed + 2)
        }
    }

    /// The mask of `parameter` (all ones without one), as scalars.
    static func mask(of parameter: Parameter) -> [Float] {
        parameter.mask?.scalars ?? Array(repeating: 1, count: parameter.elementCount)
    }

    /// The magnitudes of `parameter`'s entries split by its mask: (pruned, kept).
    static func magnitudes(_ values: [Float], mask: [Float]) -> (pruned: [Float], kept: [Float]) {
        var pruned: [Float] = []
        var kept: [Float] = []
        for (value, keep) in zip(values, mask) {
            if keep == 0 { pruned.append(Swift.abs(value)) } else { kept.append(Swift.abs(value)) }
        }
        return (pruned, kept)
    }
}
