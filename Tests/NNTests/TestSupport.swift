import Testing

@testable import NN
@testable import Tensor

/// A layer that is nothing but one parameter: `callAsFunction` returns it (ignoring the
/// input), so a loss written on it has a gradient the test knows exactly.
final class ParameterLayer: Layer {
    let value: Parameter
    var isTraining = true

    init(_ scalars: [Float], shape: [Int]? = nil) throws {
        value = try Parameter(Tensor(scalars, shape: shape ?? [scalars.count]))
    }

    func callAsFunction(_ input: Tensor) throws -> Tensor { value.value }

    var ownParameters: [(name: String, parameter: Parameter)] { [("value", value)] }
}

/// Expects `actual` to equal `expected` elementwise within `tolerance` (relative for values
/// above 1).
func expectClose(
    _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        #expect(
            Swift.abs(a - e) <= tolerance * max(1, Swift.abs(e)),
            "element \(index): \(a) vs expected \(e)", sourceLocation: sourceLocation)
    }
}

/// Expects `actual` to be the one-element tensor `expected`.
func expectScalar(
    _ actual: Tensor, _ expected: Float, tolerance: Float = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    expectClose(
        [try actual.scalarized()], [expected], tolerance: tolerance,
        sourceLocation: sourceLocation)
}

/// Checks the gradients that `valueWithGradient(of:)` gives for `model`'s parameters against
/// central finite differences of `loss` (step 1e-2, evaluated in Double; tolerance 2e-3
/// absolute plus 2 % relative, as the Tensor tests use: loose enough for Float32 rounding,
/// tight enough to catch a wrong factor, sign or missing term).
func checkModelGradients<Model: Layer>(
    of model: Model, step: Float = 1e-2, sourceLocation: SourceLocation = #_sourceLocation,
    _ loss: (Model) throws -> Tensor
) throws {
    let grads = try gradient(of: model, loss)
    for (name, parameter) in model.namedParameters() where !parameter.isFrozen {
        let analytic = try #require(grads[name], sourceLocation: sourceLocation).scalars
        let original = parameter.value
        let values = original.scalars
        for element in values.indices {
            func lossWith(_ delta: Float) throws -> Double {
                var nudged = values
                nudged[element] += delta
                parameter.value = try Tensor(nudged, shape: original.shape)
                return Double(try withoutGradient { try loss(model) }.scalarized())
            }
            let numeric = Float((try lossWith(step) - lossWith(-step)) / (2 * Double(step)))
            parameter.value = original
            let difference = Swift.abs(numeric - analytic[element])
            let scale = max(Swift.abs(numeric), Swift.abs(analytic[element]))
            #expect(
                difference <= 2e-3 + 2e-2 * scale,
                "\(name)[\(element)]: autodiff \(analytic[element]), finite differences \(numeric)",
                sourceLocation: sourceLocation)
        }
    }
}

/// Well-conditioned test values: magnitudes in [0.2, 1.2) with random signs.
func sample(_ shape: [Int], seed: UInt64) throws -> Tensor {
    var generator = RandomGenerator(seed: seed)
    let magnitudes = try Tensor.uniform(shape, low: 0.2, high: 1.2, using: &generator)
    let signs = try Tensor.bernoulli(shape, probability: 0.5, using: &generator) * 2 - 1
    return try magnitudes * signs
}
