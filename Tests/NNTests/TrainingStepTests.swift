import Testing

@testable import NN
@testable import Tensor

/// The tutorial's hand-written training step (valueWithGradient + optimizer update + an L2
/// penalty) on a small problem that a linear model cannot solve: points inside or outside a
/// circle.
@Suite struct TrainingStepTests {
    /// 256 points uniform in [−1, 1]², labelled 1 inside the circle of radius 0.6.
    func circleData(seed: UInt64) throws -> (x: Tensor, y: Tensor) {
        var generator = RandomGenerator(seed: seed)
        let x = try Tensor.uniform([256, 2], low: -1, high: 1, using: &generator)
        let points = x.scalars
        let labels: [Int32] = (0..<256).map { index in
            let (a, b) = (points[2 * index], points[2 * index + 1])
            return a * a + b * b < 0.36 ? 1 : 0
        }
        return (x, try Tensor(labels, shape: [256]))
    }

    func accuracy(_ model: Sequential, _ x: Tensor, _ y: Tensor) throws -> Float {
        let logits = try withoutGradient { try model(x) }.scalars
        let labels = try y.scalars(as: Int32.self)
        let correct = labels.indices.filter { index in
            let predicted: Int32 = logits[2 * index + 1] > logits[2 * index] ? 1 : 0
            return predicted == labels[index]
        }
        return Float(correct.count) / Float(labels.count)
    }

    @Test(arguments: ["SGD", "Adam"])
    func handWrittenStepsLearnANonlinearBoundary(_ optimizerName: String) throws {
        let (x, y) = try circleData(seed: 1)
        let model = try Sequential {
            try Dense(2, 16, activation: .relu, seed: 2)
            try Dense(16, 2, seed: 3)
        }
        let opt: any Optimizer =
            optimizerName == "SGD"
            ? try SGD(learningRate: 0.5, momentum: 0.9) : try Adam(learningRate: 0.05)
        var losses: [Float] = []
        for _ in 0..<150 {
            let (loss, grads) = try valueWithGradient(of: model) { m in
                try softmaxCrossEntropy(m(x), y) + 1e-4 * l2(m)
            }
            try opt.update(model, along: grads)
            losses.append(try loss.scalarized())
        }
        #expect(losses.last ?? 1 < 0.5 * (losses.first ?? 0))
        #expect(try accuracy(model, x, y) > 0.9)
    }
}
