import Testing

@testable import NN
@testable import Tensor

/// Checkpointing an optimizer: resuming from its state dict continues exactly where an
/// uninterrupted run goes.
@Suite struct OptimizerStateTests {
    /// Six steps straight, versus three steps, a checkpoint (model + optimizer state), a fresh
    /// optimizer and model loaded from it, and three more steps.
    func resumesExactly(_ make: () throws -> any Optimizer) throws {
        let x = try sample([4, 3], seed: 1)
        let y = try Tensor([0, 1, 1, 0] as [Int32], shape: [4])
        func loss(_ m: Sequential) throws -> Tensor { try softmaxCrossEntropy(m(x), y) }
        func model() throws -> Sequential {
            try Sequential {
                try Dense(3, 4, activation: .tanh, seed: 2)
                try Dense(4, 2, seed: 3)
            }
        }
        let straight = try model()
        let straightOpt = try make()
        for _ in 0..<6 { try straightOpt.update(straight, along: gradient(of: straight, loss)) }

        let first = try model()
        let firstOpt = try make()
        for _ in 0..<3 { try firstOpt.update(first, along: gradient(of: first, loss)) }
        let weights = first.stateDict()
        let optimizerState = try firstOpt.stateDict(for: first)

        let resumed = try model()
        try resumed.load(stateDict: weights)
        let resumedOpt = try make()
        try resumedOpt.load(stateDict: optimizerState, for: resumed)
        #expect(resumedOpt.stepCount == 3)
        for _ in 0..<3 { try resumedOpt.update(resumed, along: gradient(of: resumed, loss)) }
        for (name, value) in straight.stateDict() {
            expectClose(resumed.stateDict()[name]?.scalars ?? [], value.scalars, tolerance: 1e-6)
        }
    }

    @Test func everyOptimizerResumesExactly() throws {
        try resumesExactly { try SGD(learningRate: 0.1, momentum: 0.9, nesterov: true) }
        try resumesExactly { try Adam(learningRate: 0.01, amsgrad: true) }
        try resumesExactly { try AdamW(learningRate: 0.01) }
        try resumesExactly { try RMSProp(learningRate: 0.01, momentum: 0.5, centered: true) }
        try resumesExactly { try Adagrad(learningRate: 0.1) }
        try resumesExactly { try Adadelta() }
        try resumesExactly { try Lion(learningRate: 0.01) }
    }

    @Test func stateNamesFollowPyTorch() throws {
        let model = try Sequential { try Dense(2, 1, seed: 1) }
        let opt = try Adam()
        try opt.update(model, along: gradient(of: model) { m in try m(Tensor.ones([1, 2])).sum() })
        let state = try opt.stateDict(for: model)
        #expect(
            state.keys.sorted() == [
                "0.bias.exp_avg", "0.bias.exp_avg_sq", "0.bias.step", "0.weight.exp_avg",
                "0.weight.exp_avg_sq", "0.weight.step", "stepCount",
            ])
        #expect(state["0.weight.exp_avg"]?.shape == [1, 2])
    }

    @Test func mismatchedStateIsNamed() throws {
        let model = try Sequential { try Dense(2, 1, seed: 1) }
        let opt = try SGD(momentum: 0.9)
        #expect(throws: NNError.self) {
            try opt.load(stateDict: ["0.weight.momentum_buffer": Tensor.zeros([3])], for: model)
        }
    }
}
