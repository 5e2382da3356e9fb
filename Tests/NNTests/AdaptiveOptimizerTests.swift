import Testing

@testable import NN
@testable import Tensor

/// RMSProp, Adagrad, Adadelta and Lion against steps computed by hand from their papers' (and
/// PyTorch's) rules, on the linear loss Σ c·p with c = [0.5, −1] (a constant gradient) unless
/// said otherwise.
@Suite struct AdaptiveOptimizerTests {
    func run(_ optimizer: any Optimizer, slopes: [[Float]], from start: [Float]) throws -> [Float] {
        let layer = try ParameterLayer(start)
        for slope in slopes {
            let grads = try gradient(of: layer) { m in try (m(Tensor(0)) * Tensor(slope)).sum() }
            try optimizer.update(layer, along: grads)
        }
        return layer.value.value.scalars
    }

    let twice: [[Float]] = [[0.5, -1], [0.5, -1]]

    @Test func rmsPropDividesByTheRootMeanSquare() throws {
        // Step 1: v = 0.01·c² = [0.0025, 0.01], c/√v = [10, −10] → p ∓ 0.01·10.
        // Step 2: v = 0.99·v + 0.01·c² = [0.004975, 0.0199], c/√v = ±7.088812.
        let plain = try RMSProp(learningRate: 0.01)
        expectClose(try run(plain, slopes: twice, from: [1, 2]), [0.829_111_9, 2.170_888_1])
        // Centered: v − ḡ² with ḡ = 0.01·c at step 1 → c/√(v − ḡ²) = ±10.050378.
        let centered = try RMSProp(learningRate: 0.01, centered: true)
        expectClose(
            try run(centered, slopes: [[0.5, -1]], from: [1, 2]), [0.899_496_2, 2.100_503_8])
        // Momentum 0.9: b = 10, then 0.9·10 + 7.088812 = 16.088812.
        let momentum = try RMSProp(learningRate: 0.01, momentum: 0.9)
        expectClose(try run(momentum, slopes: twice, from: [1, 2]), [0.739_111_9, 2.260_888_1])
    }

    @Test func adagradAccumulatesSquaredGradients() throws {
        // Step 1: s = c² → moves by η·sign(c); step 2: s = 2c² → moves by η/√2.
        let plain = try Adagrad(learningRate: 0.1)
        expectClose(try run(plain, slopes: twice, from: [1, 2]), [0.829_289_3, 2.170_710_7])
        // With decay 0.5 the second step's rate is 0.1/1.5.
        let decayed = try Adagrad(learningRate: 0.1, learningRateDecay: 0.5)
        expectClose(try run(decayed, slopes: twice, from: [1, 2]), [0.852_859_5, 2.147_140_5])
        // Accumulator starting at 1: s = 1 + c² = [1.25, 2].
        let started = try Adagrad(learningRate: 0.1, initialAccumulatorValue: 1)
        expectClose(
            try run(started, slopes: [[0.5, -1]], from: [1, 2]), [0.955_278_6, 2.070_710_7])
    }

    @Test func adadeltaScalesByTheRatioOfRunningRoots() throws {
        // Step 1: v = 0.1·c² = [0.025, 0.1]; Δ = √(0 + 1e-6)/√(v + 1e-6)·c = ±0.0031622.
        // Step 2: u = 0.1·Δ² = 1e-6, v = 0.0475 (and 0.19): Δ = √(2e-6)/√(v + 1e-6)·c = ±0.0032444.
        let opt = try Adadelta()
        expectClose(
            try run(opt, slopes: twice, from: [1, 2]), [0.993_593_4, 2.006_406_7], tolerance: 1e-6)
    }

    @Test func lionMovesBySignOfInterpolatedMomentum() throws {
        // Step 1 (g = 1): c = 0.1 → p = 1 − 0.1; m = 0.01.
        // Step 2 (g = −0.05): c = 0.9·0.01 + 0.1·(−0.05) = 0.004 > 0, so Lion keeps going down
        // although the gradient turned: p = 0.8.
        let opt = try Lion(learningRate: 0.1)
        expectClose(try run(opt, slopes: [[1], [-0.05]], from: [1]), [0.8])
        // Decoupled decay 0.5: p·(1 − 0.05) first, then −0.1.
        let decayed = try Lion(learningRate: 0.1, weightDecay: 0.5)
        expectClose(try run(decayed, slopes: [[1]], from: [1]), [0.85])
    }

    @Test func everyOptimizerTrainsTheSameSmallRegression() throws {
        // y = 2x − 1 from 8 points; each optimizer must cut the loss by 10×. Adadelta's first
        // steps are of the order √ε (its unit-correcting numerator starts at 0), so it gets
        // more of them.
        let x = try Tensor((0..<8).map { Float($0) / 4 - 1 }, shape: [8, 1])
        let y = try 2 * x - 1
        let runs: [(any Optimizer, Int)] = [
            (try SGD(learningRate: 0.1), 200), (try Adam(learningRate: 0.05), 200),
            (try AdamW(learningRate: 0.05), 200), (try RMSProp(learningRate: 0.01), 200),
            (try Adagrad(learningRate: 0.5), 200), (try Adadelta(learningRate: 1), 2000),
            (try Lion(learningRate: 0.01), 200),
        ]
        for (opt, steps) in runs {
            let model = try Dense(1, 1, seed: 4)
            let first = try meanSquaredError(model(x), y).scalarized()
            for _ in 0..<steps {
                try opt.update(
                    model, along: gradient(of: model) { m in try meanSquaredError(m(x), y) })
            }
            let last = try meanSquaredError(model(x), y).scalarized()
            #expect(last < first / 10, "\(opt.name): loss \(first) → \(last)")
        }
    }
}
