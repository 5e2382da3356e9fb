import Testing

@testable import NN
@testable import Tensor

/// A steady-state optimizer step allocates no tensor: every rule runs on fused in-place
/// updates over state made on the first step. Counted on the buffer pool, which every tensor
/// buffer (scalars included) comes from.
@Suite(.serialized) struct OptimizerAllocationTests {
    /// Buffers requested by the test's own thread during one `update` after two warm-up steps
    /// on a two-parameter model (tests running in parallel allocate from the same pool, so the
    /// pool's global count is not this step's).
    func allocationsPerStep(_ optimizer: any Optimizer) throws -> Int {
        let model = try Dense(3, 2, seed: 1)
        let input = try Tensor([1, -2, 0.5, 0.25, 1, -1], shape: [2, 3])
        let gradients = try gradient(of: model) { m in try (m(input) * m(input)).sum() }
        for _ in 0..<2 { try optimizer.update(model, along: gradients) }
        return try BufferPool.requests(byThisThreadDuring: {
            try optimizer.update(model, along: gradients)
        })
    }

    @Test func theCountSeesThisThreadsTensorsOnly() throws {
        let count = try BufferPool.requests(byThisThreadDuring: {
            _ = try Tensor([1, 2, 3], shape: [3]) + Tensor([4, 5, 6], shape: [3])
        })
        #expect(count >= 2)
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
