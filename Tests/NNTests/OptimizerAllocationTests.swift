import Testing

@testable import NN
@testable import Tensor

/// A steady-state optimizer step allocates no tensor: every rule runs on fused in-place
/// updates over state made on the first step. Counted on the buffer pool, which every tensor
/// buffer (scalars included) comes from.
@Suite(.serialized) struct OptimizerAllocationTests {
    /// Buffers requested by one `update` after two warm-up steps on a two-parameter model: the
    /// fewest over several steps, since tests running in parallel allocate from the same pool
    /// (another test can only add to a count, never hide this step's allocations).
    func allocationsPerStep(_ optimizer: any Optimizer) throws -> Int {
        let model = try Dense(3, 2, seed: 1)
        let input = try Tensor([1, -2, 0.5, 0.25, 1, -1], shape: [2, 3])
        let gradients = try gradient(of: model) { m in try (m(input) * m(input)).sum() }
        for _ in 0..<2 { try optimizer.update(model, along: gradients) }
        var fewest = Int.max
        for _ in 0..<10 {
            let before = BufferPool.allocationCount
            try optimizer.update(model, along: gradients)
            fewest = min(fewest, BufferPool.allocationCount - before)
        }
        return fewest
    }

    @Test(arguments: [
        "Adam", "Adam+decay", "AMSGrad", "AdamW", "RMSProp", "RMSProp+centered",
        "RMSProp+momentum", "RMSProp+centered+momentum",
        "RMSProp+decay", "Adagrad", "Adagrad+decay", "Adadelta", "Lion", "SGD+momentum",
    ])
    func steadyStateStepsDoNotAllocate(_ name: String) throws {
        let optimizer: any Optimizer =
            switch name {
            case "Adam": try Adam()
            case "Adam+decay": try Adam(weightDecay: 0.1)
            case "AMSGrad": try Adam(amsgrad: true)
            case "AdamW": try AdamW()
            case "RMSProp": try RMSProp()
            case "RMSProp+centered": try RMSProp(centered: true)
            case "RMSProp+momentum": try RMSProp(momentum: 0.9)
            case "RMSProp+centered+momentum": try RMSProp(momentum: 0.9, centered: true)
            case "RMSProp+decay": try RMSProp(weightDecay: 0.1)
            case "Adagrad": try Adagrad()
            case "Adagrad+decay": try Adagrad(weightDecay: 0.1)
            case "Adadelta": try Adadelta(weightDecay: 0.1)
            case "Lion": try Lion(weightDecay: 0.1)
            default: try SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.1)
            }
        let count = try allocationsPerStep(optimizer)
        #expect(count == 0, "\(name) allocated \(count) buffers per step")
    }
}
