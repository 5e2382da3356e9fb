import Testing

@testable import Tensor

/// Every differentiable op of the core, checked against central finite differences.
@Suite struct GradientTests {
    @Test func arithmeticWithBroadcasting() throws {
        let a = try sample([2, 3], seed: 1)
        let b = try sample([3], seed: 2)
        let column = try sample([2, 1], seed: 3, positive: true)
        try checkGradients(at: [a, b]) { p in try p[0] + p[1] }
        try checkGradients(at: [a, b]) { p in try p[0] - p[1] }
        try checkGradients(at: [a, b]) { p in try p[0] * p[1] }
        try checkGradients(at: [a, column]) { p in try p[0] / p[1] }
        try checkGradients(at: [column, a]) { p in try p[0] / (p[1] + 3) }
        try checkGradients(at: [a]) { p in try -p[0] * 2 - 1 }
    }

    @Test func mathFunctions() throws {
        let x = try sample([2, 3], seed: 4)
        let positive = try sample([2, 3], seed: 5, positive: true)
        try checkGradients(at: [x]) { p in try p[0].exp() }
        try checkGradients(at: [positive]) { p in try p[0].log() }
        try checkGradients(at: [positive]) { p in try p[0].sqrt() }
        try checkGradients(at: [x]) { p in try p[0].squared() }
        try checkGradients(at: [positive]) { p in try p[0].pow(2.5) }
        try checkGradients(at: [x]) { p in try p[0].pow(3) }
        try checkGradients(at: [x]) { p in try p[0].abs() }
    }

    @Test func activations() throws {
        let x = try sample([3, 4], seed: 6)
        try checkGradients(at: [x]) { p in try p[0].relu() }
        try checkGradients(at: [x]) { p in try p[0].leakyRelu(slope: 0.1) }
        try checkGradients(at: [x]) { p in try p[0].elu(alpha: 0.7) }
        try checkGradients(at: [x]) { p in try p[0].gelu() }
        try checkGradients(at: [x]) { p in try p[0].tanh() }
        try checkGradients(at: [x]) { p in try p[0].sigmoid() }
        try checkGradients(at: [x]) { p in try p[0].softplus() }
    }

    @Test func reductions() throws {
        let x = try sample([2, 3, 4], seed: 8)
        try checkGradients(at: [x]) { p in try p[0].sum() }
        try checkGradients(at: [x]) { p in try p[0].sum(alongAxes: [1]) }
        try checkGradients(at: [x]) { p in try p[0].sum(alongAxes: [0, 2], keepDims: true) }
        try checkGradients(at: [x]) { p in try p[0].mean(alongAxes: [-1]) }
        try checkGradients(at: [x]) { p in try p[0].mean() }
    }

    @Test func layoutOps() throws {
        let x = try sample([2, 3, 4], seed: 9)
        try checkGradients(at: [x]) { p in try p[0].reshaped([6, 4]) }
        try checkGradients(at: [x]) { p in try p[0].permuted([2, 0, 1]) }
        try checkGradients(at: [x]) { p in try p[0].transposed().contiguous() }
        try checkGradients(at: [x]) { p in try p[0].transposed(0, 2).reshaped([-1]) }
        try checkGradients(at: [x]) { p in try p[0].expandingShape(at: 1).squeezed() }
        let row = try sample([1, 4], seed: 10)
        try checkGradients(at: [row]) { p in try p[0].broadcast(to: [3, 4]) }
    }

    @Test func matrixProducts() throws {
        let a = try sample([3, 4], seed: 11)
        let b = try sample([4, 2], seed: 12)
        try checkGradients(at: [a, b]) { p in try p[0].matmul(p[1]) }
        try checkGradients(at: [a, b]) { p in try p[1].transposed().matmul(p[0].transposed()) }
        let batch = try sample([2, 3, 4], seed: 13)
        try checkGradients(at: [batch, b]) { p in try p[0].matmul(p[1]) }
        let vector = try sample([4], seed: 14)
        try checkGradients(at: [a, vector]) { p in try p[0].matmul(p[1]) }
        try checkGradients(at: [vector, b]) { p in try p[0].matmul(p[1]) }
    }

    @Test func aSmallNetwork() throws {
        let x = try sample([5, 4], seed: 15)
        let w1 = try sample([4, 3], seed: 16)
        let b1 = try sample([3], seed: 17)
        let w2 = try sample([3, 2], seed: 18)
        try checkGradients(at: [w1, b1, w2]) { p in
            try (x.matmul(p[0]) + p[1]).tanh().matmul(p[2]).squared().mean()
        }
    }

    @Test func gradientsAccumulateWhenATensorIsUsedTwice() throws {
        let x = try Tensor([1, 2, 3])
        let g = try gradient(at: x) { x in try (x * x + x).sum() }
        #expect(g.scalars == [3, 5, 7])
        let twice = try gradient(at: x) { x in try (x + x).sum() }
        #expect(twice.scalars == [2, 2, 2])
    }

    @Test func valueWithGradientReturnsBoth() throws {
        let (value, grads) = try valueWithGradient(at: [Tensor([3]), Tensor([4])]) { p in
            try (p[0] * p[1]).sum()
        }
        #expect(try value.scalarized() == 12)
        #expect(!value.requiresGradient)
        #expect(grads.map(\.scalars) == [[4], [3]])
    }

    @Test func unusedInputsGetZeroGradients() throws {
        let grads = try gradient(at: [Tensor([1, 2]), Tensor([5, 6, 7])]) { p in try p[0].sum() }
        #expect(grads[1].scalars == [0, 0, 0])
    }

    @Test func nonScalarResultsNeedASeed() throws {
        let x = try Tensor([1, 2]).requiringGradient()
        let y = try x * 3
        #expect(throws: TensorError.self) { try y.gradients(at: [x]) }
        let seeded = try y.gradients(at: [x], seed: Tensor([1, 10]))
        #expect(seeded[0].scalars == [3, 30])
    }

    @Test func withoutGradientRecordsNothing() throws {
        let x = try Tensor([1, 2]).requiringGradient()
        let y = try withoutGradient { try (x * 2).exp() }
        #expect(!y.requiresGradient)
        #expect(try (x * 2).requiresGradient)
        #expect(try !(Tensor([1, 2]) * 2).requiresGradient)
    }

    @Test func longChainsDoNotOverflowTheStack() throws {
        var y = try Tensor([1]).requiringGradient()
        let x = y
        for _ in 0..<20_000 { y = try y * 1.0001 }
        let g = try y.gradients(at: [x])[0].scalars[0]
        #expect(Swift.abs(g - 7.389) < 0.01)  // 1.0001^20000 ≈ e²
    }
}

/// Records what a backward pass tells its observer.
private final class BackwardRecorder: BackwardObserver {
    var completed: [(index: Int, values: [Float])] = []
    var rules = 0
    var rulesBeforeCompletion: [Int] = []

    func gradientIsComplete(leaf index: Int, _ gradient: Tensor) {
        completed.append((index, gradient.scalars))
        rulesBeforeCompletion.append(rules)
    }

    func backwardRuleDidRun() { rules += 1 }
}

@Suite struct BackwardObserverTests {
    @Test func leavesAreReportedWhenCompleteWithTheirFinalGradients() throws {
        // y = (x·w1)·w2, used twice: w2's gradient completes before w1's, after both uses.
        let x = try Tensor([1, 2], shape: [1, 2])
        let w1 = try Tensor([1, 0, 0, 1], shape: [2, 2])
        let w2 = try Tensor([3, 4], shape: [2, 1])
        let unused = try Tensor([5], shape: [1])
        let recorder = BackwardRecorder()
        let (_, grads) = try valueWithGradient(at: [w1, w2, unused], observer: recorder) { p in
            let y = try x.matmul(p[0]).matmul(p[1])
            return try (y * y).sum()
        }
        #expect(recorder.completed.map(\.index) == [1, 0, 2])
        for (index, values) in recorder.completed {
            #expect(values == grads[index].scalars)
        }
        #expect(recorder.completed[2].values == [0])
        // w2 is complete before the rule that computes w1's gradient has run.
        #expect(recorder.rulesBeforeCompletion[0] < recorder.rulesBeforeCompletion[1])
    }

    @Test func withoutAnObserverTheGradientsAreTheSame() throws {
        let w = try Tensor([1, 2, 3], shape: [3])
        let recorder = BackwardRecorder()
        let observed = try gradient(at: [w]) { p in try (p[0] * p[0]).sum() }
        let (_, again) = try valueWithGradient(at: [w], observer: recorder) { p in
            try (p[0] * p[0]).sum()
        }
        #expect(observed[0].scalars == again[0].scalars)
        #expect(recorder.completed.count == 1)
        #expect(recorder.rules > 0)
    }
}
