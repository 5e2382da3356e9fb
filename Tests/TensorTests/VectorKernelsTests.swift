import Testing

@testable import Tensor

/// Every variant of every C vector kernel, forced in turn on each level this machine runs,
/// against the Swift loop it replaced, bit for bit, on random inputs whose lengths are and are
/// not multiples of the vector widths (8 and 16).
@Suite(.serialized)
struct VectorKernelsTests {
    static let lengths = [0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 1000, 1003]

    /// Runs `body` once per level this machine supports, with that level forced.
    private func forEachLevel(_ body: (VectorKernels.Level) throws -> Void) rethrows {
        let saved = VectorKernels.level
        defer { VectorKernels.level = saved }
        for level in VectorKernels.availableLevels {
            VectorKernels.level = level
            #expect(VectorKernels.level == level)
            try body(level)
        }
    }

    private func randomFloats(_ count: Int, in range: ClosedRange<Float>, seed: UInt64) -> [Float] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in Float.random(in: range, using: &generator) }
    }

    /// Equal bit patterns (so NaN equals NaN, and −0 differs from +0).
    private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    @Test func theSupportedLevelMatchesTheCPUFlagsTheSystemReports() {
        let flags = CPUFeatures.current.flags
        let expected: VectorKernels.Level =
            flags.contains("avx512f") ? .avx512 : flags.contains("avx2") ? .avx2 : .scalar
        #expect(VectorKernels.supportedLevel == expected)
        #expect(VectorKernels.availableLevels.first == .scalar)
        #expect(VectorKernels.availableLevels.last == expected)
    }

    @Test func aLevelAboveTheSupportedOneIsLoweredToIt() {
        let saved = VectorKernels.level
        defer { VectorKernels.level = saved }
        VectorKernels.level = .avx512
        #expect(VectorKernels.level == VectorKernels.supportedLevel)
        VectorKernels.level = .scalar
        #expect(VectorKernels.level == .scalar)
    }

    @Test func adamStepEqualsTheSwiftLoop() {
        forEachLevel { level in
            for count in Self.lengths {
                let g = randomFloats(count, in: -2...2, seed: 1)
                var (p, m) = (
                    randomFloats(count, in: -1...1, seed: 2),
                    randomFloats(count, in: -1...1, seed: 3)
                )
                var v = randomFloats(count, in: 0...1, seed: 4)
                var (expectedP, expectedM, expectedV) = (p, m, v)
                let (w1, w2, scale, epsilon): (Float, Float, Float, Float) = (
                    0.1, 0.001, -1e-3, 1e-8
                )
                for index in 0..<count {
                    let gradient = g[index]
                    let first = expectedM[index] + w1 * (gradient - expectedM[index])
                    let second = expectedV[index] + w2 * (gradient * gradient - expectedV[index])
                    expectedM[index] = first
                    expectedV[index] = second
                    expectedP[index] =
                        expectedP[index] + scale * first / (second.squareRoot() + epsilon)
                }
                VectorKernels.adamStep(
                    parameter: &p, gradient: g, firstMoment: &m, secondMoment: &v, count: count,
                    firstWeight: w1, secondWeight: w2, scale: scale, epsilon: epsilon)
                #expect(bits(p) == bits(expectedP), "\(level), \(count) elements")
                #expect(bits(m) == bits(expectedM), "\(level), \(count) elements")
                #expect(bits(v) == bits(expectedV), "\(level), \(count) elements")
            }
        }
    }

    @Test func reluInPlaceEqualsTheSwiftLoopIncludingNaNAndNegativeZero() {
        forEachLevel { level in
            for count in Self.lengths {
                var values = randomFloats(count, in: -1...1, seed: 5)
                for (index, special) in [Float.nan, -0.0, .infinity, -.infinity, 0].enumerated()
                where index * 7 < count {
                    values[index * 7] = special
                }
                let expected = values.map { $0 > 0 ? $0 : 0 }
                VectorKernels.reluInPlace(&values, count: count)
                #expect(bits(values) == bits(expected), "\(level), \(count) elements")
            }
        }
    }

    @Test func reluBackwardEqualsTheSwiftLoop() {
        forEachLevel { level in
            for count in Self.lengths {
                let gradient = randomFloats(count, in: -3...3, seed: 6)
                var output = randomFloats(count, in: -1...1, seed: 7).map { max($0, 0) }
                if count > 2 { output[2] = .nan }
                let expected = (0..<count).map { output[$0] > 0 ? gradient[$0] : 0 }
                var target = [Float](repeating: 42, count: count)
                VectorKernels.reluBackward(
                    gradient: gradient, output: output, into: &target, count: count)
                #expect(bits(target) == bits(expected), "\(level), \(count) elements")
            }
        }
    }

    @Test func addRowsEqualsColumnSumsRowByRow() {
        forEachLevel { level in
            for columns in Self.lengths where columns > 0 {
                for rowCount in [0, 1, 5, 33] {
                    let rows = randomFloats(rowCount * columns, in: -10...10, seed: 8)
                    var expected = randomFloats(columns, in: -1...1, seed: 9)
                    var sums = expected
                    for row in 0..<rowCount {
                        for column in 0..<columns {
                            expected[column] += rows[row * columns + column]
                        }
                    }
                    VectorKernels.addRows(rows, rowCount: rowCount, columns: columns, into: &sums)
                    #expect(bits(sums) == bits(expected), "\(level), \(rowCount)×\(columns)")
                }
            }
        }
    }

    @Test func bytesToFloatsEqualsTheSwiftConversionWithAndWithoutNormalization() {
        forEachLevel { level in
            for count in Self.lengths + [784] {
                var generator = RandomGenerator(seed: 10)
                var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if count > 1 { (bytes[0], bytes[1]) = (0, 255) }
                let (divisor, mean, deviation): (Float, Float, Float) = (255, 0.2860, 0.3530)
                let plain = bytes.map { Float($0) / divisor }
                let normalized = plain.map { ($0 - mean) / deviation }
                var target = [Float](repeating: 0, count: count)
                VectorKernels.bytesToFloats(bytes, into: &target, count: count, divisor: divisor)
                #expect(bits(target) == bits(plain), "\(level), \(count) bytes")
                VectorKernels.bytesToFloats(
                    bytes, into: &target, count: count, divisor: divisor,
                    normalization: (mean, deviation))
                #expect(bits(target) == bits(normalized), "\(level), \(count) bytes, normalized")
            }
        }
    }

    @Test func theTensorOperationsGiveTheSameBitsOnEveryLevel() throws {
        // The wired paths end to end: a linear layer with a fused ReLU, its backward (ReLU mask
        // and bias column sums) and an Adam step, on each level.
        var results: [[UInt32]] = []
        try forEachLevel { _ in
            var generator = RandomGenerator(seed: 11)
            let x = try Tensor.uniform([37, 19], low: -1, high: 1, using: &generator)
            let w = try Tensor.uniform([23, 19], low: -1, high: 1, using: &generator)
                .requiringGradient()
            let b = try Tensor.uniform([23], low: -1, high: 1, using: &generator)
                .requiringGradient()
            let y = try Tensor.linear(x, weight: w, bias: b, activation: .relu)
            let gradients = try y.sum().gradients(at: [w, b])
            var parameter = try Tensor(w.scalars, shape: w.shape)
            var (m, v) = (try Tensor.zeros(like: parameter), try Tensor.zeros(like: parameter))
            try parameter.addAdamStep(
                gradient: gradients[0], firstMoment: &m, secondMoment: &v, firstWeight: 0.1,
                secondWeight: 0.001, scale: -0.01, epsilon: 1e-8)
            results.append(
                bits(y.scalars) + bits(gradients[1].scalars) + bits(parameter.scalars))
        }
        #expect(results.count == VectorKernels.availableLevels.count)
        #expect(Set(results).count == 1)
    }
}
