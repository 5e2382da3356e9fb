import Foundation
import Memory
import Tensor

/// Small generated data sets for quick demos, each drawn from a seeded generator.
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let spirals = try Synthetic.spirals(classes: 3, pointsPerClass: 100, using: &rng)
/// let line = try Synthetic.line(count: 200, slope: 2, intercept: -1, noise: 0.1, using: &rng)
/// ```
///
/// Sizes are checked against the memory budget before anything is generated.
public enum Synthetic {
    /// Interleaved spiral arms, one class per arm (the classic non-linearly separable set of
    /// Stanford's CS231n notes): point i of arm k has radius r = i / n and angle
    /// 4r + 2πk/K (radians) plus Gaussian noise, so features are 2-D in [-1, 1].
    public static func spirals(
        classes: Int = 3, pointsPerClass: Int = 100, noise: Float = 0.2,
        using generator: inout RandomGenerator
    ) throws(DataError) -> Dataset {
        try check(classes >= 1, "spirals", "classes must be at least 1")
        try check(pointsPerClass >= 1, "spirals", "pointsPerClass must be at least 1")
        try checkNoise(noise, "spirals")
        try checkSize([classes, pointsPerClass, 2], "spirals")
        var features: [Float] = []
        var labels: [Int32] = []
        for arm in 0..<classes {
            for index in 0..<pointsPerClass {
                let radius = Float(index) / Float(max(pointsPerClass - 1, 1))
                let angle =
                    4 * radius + 2 * Float.pi * Float(arm) / Float(classes)
                    + noise * generator.nextNormal()
                features += [radius * Foundation.sin(angle), radius * Foundation.cos(angle)]
                labels.append(Int32(arm))
            }
        }
        return try Dataset(
            features: features, elementShape: [2], labels: labels,
            classNames: (0..<classes).map { "arm \($0)" }, name: "spirals"
        ).shuffled(using: &generator)
    }

    /// Isotropic Gaussian blobs, one class per blob (as scikit-learn's `make_blobs`): centres
    /// drawn uniformly in [-10, 10] along each dimension, points around them with the given
    /// standard deviation.
    public static func blobs(
        centers: Int = 3, pointsPerCenter: Int = 100, dimensions: Int = 2,
        standardDeviation: Float = 1, using generator: inout RandomGenerator
    ) throws(DataError) -> Dataset {
        try check(centers >= 1, "blobs", "centers must be at least 1")
        try check(pointsPerCenter >= 1, "blobs", "pointsPerCenter must be at least 1")
        try check(dimensions >= 1, "blobs", "dimensions must be at least 1")
        try checkNoise(standardDeviation, "blobs")
        try checkSize([centers, pointsPerCenter, dimensions], "blobs")
        let middles = (0..<(centers * dimensions)).map { _ in -10 + 20 * generator.nextUniform() }
        var features: [Float] = []
        var labels: [Int32] = []
        for center in 0..<centers {
            for _ in 0..<pointsPerCenter {
                for axis in 0..<dimensions {
                    features.append(
                        middles[center * dimensions + axis]
                            + standardDeviation * generator.nextNormal())
                }
                labels.append(Int32(center))
            }
        }
        return try Dataset(
            features: features, elementShape: [dimensions], labels: labels,
            classNames: (0..<centers).map { "blob \($0)" }, name: "blobs"
        ).shuffled(using: &generator)
    }

    /// A noisy line for regression: x uniform in [-1, 1], y = slope·x + intercept + noise.
    public static func line(
        count: Int = 100, slope: Float = 2, intercept: Float = 0.5, noise: Float = 0.1,
        using generator: inout RandomGenerator
    ) throws(DataError) -> Dataset {
        try check(count >= 1, "line", "count must be at least 1")
        try checkNoise(noise, "line")
        try checkSize([count, 2], "line")
        try check(
            slope.isFinite && intercept.isFinite, "line", "slope and intercept must be finite")
        let xs = (0..<count).map { _ in -1 + 2 * generator.nextUniform() }
        let ys = xs.map { slope * $0 + intercept + noise * generator.nextNormal() }
        return try Dataset(features: xs, elementShape: [1], targets: ys, name: "line")
    }

    /// Two interleaving half circles (as scikit-learn's `make_moons`): the upper moon centred
    /// at (0, 0), the lower at (1, 0.5), with Gaussian noise.
    public static func moons(
        count: Int = 200, noise: Float = 0.1, using generator: inout RandomGenerator
    ) throws(DataError) -> Dataset {
        try check(count >= 2, "moons", "count must be at least 2")
        try checkNoise(noise, "moons")
        try checkSize([count, 2], "moons")
        var features: [Float] = []
        var labels: [Int32] = []
        for index in 0..<count {
            let moon = index % 2
            let angle = Float.pi * generator.nextUniform()
            let (x, y) =
                moon == 0
                ? (Foundation.cos(angle), Foundation.sin(angle))
                : (1 - Foundation.cos(angle), 0.5 - Foundation.sin(angle))
            features += [x + noise * generator.nextNormal(), y + noise * generator.nextNormal()]
            labels.append(Int32(moon))
        }
        return try Dataset(
            features: features, elementShape: [2], labels: labels,
            classNames: ["upper", "lower"], name: "moons")
    }

    /// XOR: points uniform in [-1, 1]², class 1 where exactly one coordinate is positive,
    /// features with Gaussian noise added after labelling.
    public static func xor(
        count: Int = 200, noise: Float = 0.05, using generator: inout RandomGenerator
    ) throws(DataError) -> Dataset {
        try check(count >= 1, "xor", "count must be at least 1")
        try checkNoise(noise, "xor")
        try checkSize([count, 2], "xor")
        var features: [Float] = []
        var labels: [Int32] = []
        for _ in 0..<count {
            let x = -1 + 2 * generator.nextUniform()
            let y = -1 + 2 * generator.nextUniform()
            labels.append((x > 0) != (y > 0) ? 1 : 0)
            features += [x + noise * generator.nextNormal(), y + noise * generator.nextNormal()]
        }
        return try Dataset(
            features: features, elementShape: [2], labels: labels, classNames: ["same", "differ"],
            name: "xor")
    }

    private static func check(_ condition: Bool, _ operation: String, _ message: String)
        throws(DataError)
    {
        guard condition else { throw .invalidArgument(operation: operation, message: message) }
    }

    /// Refuses sizes whose Float32 values would not fit the memory budget (or overflow).
    private static func checkSize(_ factors: [Int], _ operation: String) throws(DataError) {
        var bytes = 4
        for factor in factors {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: factor)
            bytes = overflow ? Int.max : product
        }
        try check(
            bytes <= MemoryRoom.available, operation,
            "\(factors.dropLast().map(String.init).joined(separator: " × ")) points need "
                + "\(ByteCount(bytes)), more than the memory budget has left")
    }

    private static func checkNoise(_ noise: Float, _ operation: String) throws(DataError) {
        try check(
            noise.isFinite && noise >= 0, operation,
            "the noise must be finite and ≥ 0, got \(noise)")
    }
}
