import Testing

@testable import NN
@testable import Tensor

@Suite struct RegularizationTests {
    /// Dense(2 → 2) with weight [[1, −2], [3, −4]] and bias [5, 6].
    func layer(regularizer: Regularizer? = nil) throws -> Dense {
        let dense = try Dense(2, 2, regularizer: regularizer)
        try dense.weight.assign(Tensor([1, -2, 3, -4], shape: [2, 2]))
        try dense.bias?.assign(Tensor([5, 6]))
        return dense
    }

    @Test func modelPenaltiesSkipBiasesAndFrozenParameters() throws {
        let dense = try layer()
        // Σw² = 1 + 4 + 9 + 16, Σ|w| = 10; the bias is not penalized.
        try expectScalar(l2(dense), 30)
        try expectScalar(l1(dense), 10)
        try expectScalar(l1l2(dense, l1: 0.5, l2: 0.1), 5 + 3)
        let model = Sequential([dense, try layer()])
        try expectScalar(l2(model), 60)
        try model[1].freeze()
        try expectScalar(l2(model), 30)
    }

    @Test func l2PenaltyGradientIsTwiceTheWeight() throws {
        let dense = try layer()
        let grads = try gradient(of: dense) { m in try 0.5 * l2(m) }
        #expect(grads["weight"]?.scalars == [1, -2, 3, -4])
        #expect(grads["bias"]?.scalars == [0, 0])
        let sparse = try gradient(of: dense) { m in try l1(m) }
        #expect(sparse["weight"]?.scalars == [1, -1, 1, -1])
    }

    @Test func layerRegularizersAreCollectedByRegularizationLoss() throws {
        let model = Sequential([
            try layer(regularizer: .l2(0.1)), ReLU(), try layer(regularizer: .l1(0.5)),
            try layer(),
        ])
        // 0.1·30 + 0.5·10 from the two regularized layers only.
        try expectScalar(model.regularizationLoss(), 8)
        let both = try layer(regularizer: .l1l2(l1: 1, l2: 1))
        try expectScalar(both.regularizationLoss(), 40)
        try expectScalar(Sequential([Flatten()]).regularizationLoss(), 0)
    }

    @Test func regularizerNamesRoundTrip() {
        for regularizer in [Regularizer.l1(0.01), .l2(1e-4), .l1l2(l1: 0.1, l2: 0.2)] {
            #expect(Regularizer(named: regularizer.name) == regularizer)
        }
        #expect(Regularizer(named: "l3(1)") == nil)
    }

    @Test func maxNormRescalesOnlyRowsAboveTheLimit() throws {
        // Rows [3, 4] (norm 5) and [0.6, 0.8] (norm 1); limit 2 → [1.2, 1.6] and unchanged.
        var value = try Tensor([3, 4, 0.6, 0.8], shape: [2, 2])
        try Constraint.maxNorm(2).apply(to: &value)
        expectClose(value.scalars, [1.2, 1.6, 0.6, 0.8])
    }

    @Test func optimizersApplyConstraintsAfterEachStep() throws {
        let dense = try layer()
        dense.weight.constraint = .maxNorm(1)
        let opt = try SGD(learningRate: 0.01)
        try opt.update(dense, along: gradient(of: dense) { m in try m(Tensor.ones([1, 2])).sum() })
        let rows = dense.weight.value.scalars
        for row in 0..<2 {
            let norm = (rows[2 * row] * rows[2 * row] + rows[2 * row + 1] * rows[2 * row + 1])
                .squareRoot()
            #expect(Swift.abs(norm - 1) < 1e-4)
        }
    }

    @Test func weightDecayShrinksTowardsZeroWithoutAGradient() throws {
        // Zero gradient: SGD's coupled decay gives p·(1 − ηλ); AdamW's decoupled decay the same
        // shrink while its Adam step is 0/(0 + ε) = 0.
        let zeroLoss: (ParameterLayer) throws -> Tensor = { m in try (m(Tensor(0)) * 0).sum() }
        let sgdLayer = try ParameterLayer([2, -4])
        try SGD(learningRate: 0.1, weightDecay: 0.5).update(
            sgdLayer, along: gradient(of: sgdLayer, zeroLoss))
        expectClose(sgdLayer.value.value.scalars, [1.9, -3.8])
        let adamWLayer = try ParameterLayer([2, -4])
        try AdamW(learningRate: 0.1, weightDecay: 0.5).update(
            adamWLayer, along: gradient(of: adamWLayer, zeroLoss))
        expectClose(adamWLayer.value.value.scalars, [1.9, -3.8])
    }
}
