import Testing

@testable import NN
@testable import Tensor

/// Initialisers against their papers' bounds and standard deviations, on 20,000 draws (fan-in
/// 100, fan-out 200), where a sample standard deviation is within 2 % of the true one.
@Suite struct InitializerTests {
    func draw(_ initializer: Initializer) throws -> [Float] {
        var generator = RandomGenerator(seed: 3)
        return try initializer.make([200, 100], fanIn: 100, fanOut: 200, using: &generator)
            .scalars
    }

    func standardDeviation(_ values: [Float]) -> Float {
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
        return variance.squareRoot()
    }

    @Test func uniformInitialisersStayWithinTheirBounds() throws {
        let bounds: [(Initializer, Float)] = [
            (.glorotUniform, (6.0 / 300).squareRoot()),  // Glorot & Bengio: √(6/(in+out))
            (.heUniform(), (6.0 / 100).squareRoot()),  // He: √2·√(3/in)
            (.pytorchDefault, 0.1),  // 1/√in
            (.uniform(low: -0.3, high: 0.3), 0.3),
        ]
        for (initializer, bound) in bounds {
            let values = try draw(initializer)
            #expect(values.allSatisfy { Swift.abs($0) <= bound }, "\(initializer)")
            #expect((values.max() ?? 0) > 0.99 * bound, "\(initializer)")
            // A uniform on [−b, b] has standard deviation b/√3.
            #expect(
                Swift.abs(standardDeviation(values) / (bound / Float(3).squareRoot()) - 1) < 0.02)
        }
    }

    @Test func normalInitialisersHaveTheirStandardDeviation() throws {
        let deviations: [(Initializer, Float)] = [
            (.glorotNormal, (2.0 / 300).squareRoot()),
            (.heNormal(), (2.0 / 100).squareRoot()),
            (.heNormal(negativeSlope: 1), (1.0 / 100).squareRoot()),  // gain √(2/(1+1)) = 1
            (.normal(mean: 0, standardDeviation: 0.05), 0.05),
        ]
        for (initializer, expected) in deviations {
            let measured = standardDeviation(try draw(initializer))
            #expect(Swift.abs(measured / expected - 1) < 0.02, "\(initializer): \(measured)")
        }
    }

    @Test func constantInitialisers() throws {
        #expect(try draw(.zeros).allSatisfy { $0 == 0 })
        #expect(try draw(.ones).allSatisfy { $0 == 1 })
        #expect(try draw(.constant(0.5)).allSatisfy { $0 == 0.5 })
        let layer = try Dense(4, 3, weightInitializer: .zeros, biasInitializer: .constant(1))
        #expect(layer.weight.value.scalars.allSatisfy { $0 == 0 })
        #expect(layer.bias?.value.scalars == [1, 1, 1])
    }
}
