import Testing

@testable import NN
@testable import Tensor

/// Each optimizer against steps computed by hand from its paper's (and PyTorch's) rule. Two
/// losses keep the arithmetic readable: `linear` (Σ c·p, gradient c = [0.5, −1] at every step)
/// and `quadratic` (½Σp², gradient p).
@Suite struct OptimizerTests {
    static let slopes: [Float] = [0.5, -1]

    /// Runs `steps` updates of `optimizer` on a parameter starting at `start`.
    func run(
        _ optimizer: any Optimizer, from start: [Float], steps: Int, quadratic: Bool = false
    ) throws -> [Float] {
        let layer = try ParameterLayer(start)
        for _ in 0..<steps {
            let grads = try gradient(of: layer) { m in
                let p = try m(Tensor(0))
                return quadratic ? try (p * p / 2).sum() : try (p * Tensor(Self.slopes)).sum()
            }
            try optimizer.update(layer, along: grads)
        }
        return layer.value.value.scalars
    }

    @Test func plainSGDStepsAgainstTheGradient() throws {
        // p − 0.1·c = [1 − 0.05, 2 + 0.1].
        expectClose(try run(SGD(learningRate: 0.1), from: [1, 2], steps: 1), [0.95, 2.1])
    }

    @Test func sgdWeightDecayAddsLambdaTimesTheParameter() throws {
        // g = c + 0.1·p = [0.6, −0.8]; p − 0.1·g = [0.94, 2.08].
        let opt = try SGD(learningRate: 0.1, weightDecay: 0.1)
        expectClose(try run(opt, from: [1, 2], steps: 1), [0.94, 2.08])
    }

    @Test func sgdMomentumStartsAtTheFirstGradient() throws {
        // Step 1: b = c, p = [0.95, 2.1]. Step 2: b = 0.9c + c = [0.95, −1.9],
        // p = [0.95 − 0.095, 2.1 + 0.19].
        let opt = try SGD(learningRate: 0.1, momentum: 0.9)
        expectClose(try run(opt, from: [1, 2], steps: 2), [0.855, 2.29])
    }

    @Test func sgdDampeningDoesNotApplyToTheFirstStep() throws {
        // Step 1: b = c → [0.95, 2.1]. Step 2: b = 0.9c + 0.5c = [0.7, −1.4] → [0.88, 2.24].
        let opt = try SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.5)
        expectClose(try run(opt, from: [1, 2], steps: 2), [0.88, 2.24])
    }

    @Test func nesterovLooksAhead() throws {
        // Step 1: b = c, g = c + 0.9b = 1.9c → [1 − 0.095, 2 + 0.19].
        // Step 2: b = 1.9c, g = c + 0.9·1.9c = 2.71c → [0.905 − 0.1355, 2.19 + 0.271].
        let opt = try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        expectClose(try run(opt, from: [1, 2], steps: 2), [0.7695, 2.461])
        #expect(throws: NNError.self) { try SGD(nesterov: true) }
    }

    @Test func adamTwoStepsOnAQuadratic() throws {
        // Step 1 (g = [1, −2]): m̂ = g, v̂ = g², so p moves by η·sign(g) → [0.9, −1.9].
        // Step 2 (g = p): m = 0.9·[0.1, −0.2] + 0.1·[0.9, −1.9] = [0.18, −0.37],
        // v = 0.999·[0.001, 0.004] + 0.001·[0.81, 3.61] = [0.001809, 0.007606];
        // p −= 0.1·(m/0.19) / √(v/0.001999) → [0.9 − 0.0995878, −1.9 + 0.0998335].
        let opt = try Adam(learningRate: 0.1)
        let first = try run(opt, from: [1, -2], steps: 1, quadratic: true)
        expectClose(first, [0.9, -1.9])
        let opt2 = try Adam(learningRate: 0.1)
        expectClose(
            try run(opt2, from: [1, -2], steps: 2, quadratic: true), [0.800_412_2, -1.800_166_5])
    }

    @Test func adamWeightDecayIsCoupledAndAdamWsIsDecoupled() throws {
        // Adam with λ = 1 on the linear loss: g = c + p = [1.5, 1]; the first step moves by
        // η·sign(g) = [−0.1, −0.1] → [0.9, 1.9].
        let coupled = try Adam(learningRate: 0.1, weightDecay: 1)
        expectClose(try run(coupled, from: [1, 2], steps: 1), [0.9, 1.9])
        // AdamW with λ = 1: p·(1 − 0.1) = [0.9, 1.8], then η·sign(c) = [−0.1, +0.1].
        let decoupled = try AdamW(learningRate: 0.1, weightDecay: 1)
        expectClose(try run(decoupled, from: [1, 2], steps: 1), [0.8, 1.9])
    }

    @Test func amsgradKeepsTheLargestSecondMoment() throws {
        // β₂ = 0.5, gradients 1 then 0.1 (loss = g·p). Step 1: p = 1 − 0.1 = 0.9 for both.
        // Step 2: m = 0.1, v = 0.25 + 0.005 = 0.255, corrections 0.19 and 0.75.
        // Adam: 0.9 − 0.1·(0.1/0.19)/√(0.255/0.75) = 0.8097376.
        // AMSGrad divides by the larger v̂ = 0.5: 0.9 − 0.1·(0.1/0.19)/√(0.5/0.75) = 0.8355397.
        for (amsgrad, expected) in [(false, Float(0.809_737_6)), (true, 0.835_539_7)] {
            let layer = try ParameterLayer([1])
            let opt = try Adam(learningRate: 0.1, beta2: 0.5, amsgrad: amsgrad)
            for slope: Float in [1, 0.1] {
                let grads = try gradient(of: layer) { m in try (m(Tensor(0)) * slope).sum() }
                try opt.update(layer, along: grads)
            }
            expectClose(layer.value.value.scalars, [expected])
        }
    }

    @Test func frozenParametersAreNotUpdated() throws {
        let model = try Sequential {
            try ParameterLayer([1, 2])
            try ParameterLayer([3])
        }
        let grads = try gradient(of: model) { m in
            try m[0](Tensor(0)).sum() + m[1](Tensor(0)).sum()
        }
        try model[0].freeze()
        let opt = try SGD(learningRate: 0.5)
        try opt.update(model, along: grads)
        #expect(try (model[0] as? ParameterLayer)?.value.value.scalars == [1, 2])
        #expect(try (model[1] as? ParameterLayer)?.value.value.scalars == [2.5])
    }

    @Test func parameterGroupsHaveTheirOwnLearningRateAndDecay() throws {
        let model = try Sequential {
            try ParameterLayer([1])
            try ParameterLayer([1])
        }
        let opt = try SGD(learningRate: 0.1)
        opt.parameterGroups = [ParameterGroup(prefix: "0", learningRate: 0.01)]
        let loss: (Sequential) throws -> Tensor = { m in
            try m[0](Tensor(0)).sum() + m[1](Tensor(0)).sum()
        }
        try opt.update(model, along: gradient(of: model, loss))
        let values = try [model[0], model[1]].map { ($0 as? ParameterLayer)?.value.value.scalars }
        expectClose(values.compactMap { $0?.first }, [0.99, 0.9])
        // Halving the optimizer's learning rate (as a schedule would) halves the group's too.
        opt.learningRate = 0.05
        try opt.update(model, along: gradient(of: model, loss))
        let after = try [model[0], model[1]].map { ($0 as? ParameterLayer)?.value.value.scalars }
        expectClose(after.compactMap { $0?.first }, [0.985, 0.85])
        // Groups by Parameter.group, with weight decay only.
        try (model[1] as? ParameterLayer)?.value.group = "head"
        opt.parameterGroups = [ParameterGroup(group: "head", weightDecay: 1)]
        opt.learningRate = 0.1
        try opt.update(model, along: gradient(of: model, loss))
        let decayed = try [model[0], model[1]].map { ($0 as? ParameterLayer)?.value.value.scalars }
        // Head: g = 1 + 1·0.85 → 0.85 − 0.185; body: 0.985 − 0.1.
        expectClose(decayed.compactMap { $0?.first }, [0.885, 0.665])
    }

    @Test func namePrefixesMatchWholeComponents() throws {
        let group = ParameterGroup(prefix: "1")
        let parameter = try Parameter(Tensor([0]))
        #expect(group.contains(name: "1.weight", parameter: parameter))
        #expect(!group.contains(name: "10.weight", parameter: parameter))
        #expect(ParameterGroup(prefix: "1.0.").contains(name: "1.0.bias", parameter: parameter))
    }

    @Test func clippingIsAppliedBeforeTheStep() throws {
        let opt = try SGD(learningRate: 1)
        opt.clipping = .value(0.25)
        // c = [0.5, −1] clipped to [0.25, −0.25].
        expectClose(try run(opt, from: [1, 2], steps: 1), [0.75, 2.25])
        let normClipped = try SGD(learningRate: 1)
        normClipped.clipping = .globalNorm(0.5)
        // |c| = √1.25; c·0.5/|c| = [0.2236068, −0.4472136].
        expectClose(try run(normClipped, from: [1, 2], steps: 1), [0.776_393_2, 2.447_213_6])
    }

    @Test func masksSurviveUpdatesWithMomentumAndDecay() throws {
        let layer = try ParameterLayer([1, 2, 3])
        try layer.value.setMask(Tensor([1, 0, 1]))
        let opt = try Adam(learningRate: 0.1, weightDecay: 0.1)
        for _ in 0..<3 {
            let grads = try gradient(of: layer) { m in try (m(Tensor(0)) * m(Tensor(0))).sum() }
            try opt.update(layer, along: grads)
        }
        #expect(layer.value.value.scalars[1] == 0)
        #expect(layer.value.value.scalars[0] != 1)
    }

    @Test func prunedEntriesArePositiveZeroEvenForNegativeWeights() throws {
        let layer = try ParameterLayer([-1, 2, -3])
        try layer.value.setMask(Tensor([0, 1, 0]))
        #expect(layer.value.value.scalars.map(\.bitPattern) == [0, Float(2).bitPattern, 0])
        let opt = try SGD(learningRate: 0.1, momentum: 0.9)
        let grads = try gradient(of: layer) { m in try m(Tensor(0)).sum() }
        try opt.update(layer, along: grads)
        #expect(layer.value.value.scalars[0].bitPattern == 0)
        #expect(layer.value.value.scalars[2].bitPattern == 0)
    }

    @Test func gradientsOfAnotherModelAreRejected() throws {
        let first = try ParameterLayer([1])
        let second = try ParameterLayer([1])
        let grads = try gradient(of: first) { m in try m(Tensor(0)).sum() }
        #expect(throws: NNError.self) { try SGD().update(second, along: grads) }
    }

    @Test func stateIsKeptPerParameterAndCanBeReset() throws {
        let layer = try ParameterLayer([1])
        let opt = try SGD(learningRate: 0.1, momentum: 0.9)
        #expect(!opt.hasState(for: layer.value))
        try opt.update(layer, along: gradient(of: layer) { m in try m(Tensor(0)).sum() })
        #expect(opt.hasState(for: layer.value))
        #expect(opt.stepCount == 1)
        opt.resetState()
        #expect(!opt.hasState(for: layer.value))
        #expect(opt.stepCount == 0)
    }

    @Test func badHyperparametersAreErrors() throws {
        #expect(throws: NNError.self) { try SGD(learningRate: -1) }
        #expect(throws: NNError.self) { try SGD(momentum: 1.5) }
        #expect(throws: NNError.self) { try Adam(beta1: 1) }
        #expect(throws: NNError.self) { try Adam(epsilon: 0) }
    }
}
