import Testing

@testable import NN
@testable import Tensor

/// Each schedule against a sequence computed by hand from PyTorch's formula for the same
/// scheduler (base rate 1 so the values are the factors).
@Suite struct ScheduleTests {
    func perEpoch(_ schedule: some LearningRateSchedule, epochs: Int) -> [Float] {
        schedule.learningRates(base: 1, epochs: epochs)
    }

    @Test func stepMultiStepAndExponentialDecay() {
        expectClose(
            perEpoch(StepDecay(stepSize: 2, factor: 0.5), epochs: 6), [1, 1, 0.5, 0.5, 0.25, 0.25])
        expectClose(
            perEpoch(MultiStepDecay(milestones: [4, 2], factor: 0.1), epochs: 6),
            [1, 1, 0.1, 0.1, 0.01, 0.01])
        expectClose(perEpoch(ExponentialDecay(factor: 0.5), epochs: 4), [1, 0.5, 0.25, 0.125])
    }

    @Test func decaysHoldWithinAnEpoch() {
        let rates = StepDecay(stepSize: 1, factor: 0.5).learningRates(
            base: 2, epochs: 2, stepsPerEpoch: 3)
        expectClose(rates, [2, 2, 2, 1, 1, 1])
    }

    @Test func linearWarmupRampsThenDefersToItsSchedule() {
        // LinearLR(start_factor=0.25, total_iters=4): 0.25 + 0.75·min(t/4, 1).
        let warmup = LinearWarmup(steps: 4, startFactor: 0.25)
        expectClose(
            warmup.learningRates(base: 1, epochs: 6), [0.25, 0.4375, 0.625, 0.8125, 1, 1])
        let stacked = LinearWarmup(steps: 2, then: ExponentialDecay(factor: 0.5))
        // Factors [0, 0.5, 1, 1] times 0.5^epoch.
        expectClose(stacked.learningRates(base: 1, epochs: 4), [0, 0.25, 0.25, 0.125])
    }

    @Test func cosineAnnealingWithoutRestartsEndsAtTheMinimum() {
        // (1 + cos(π·t/4))/2 for t = 0…4, then the minimum.
        expectClose(
            perEpoch(CosineAnnealing(period: 4), epochs: 6),
            [1, 0.853_553_4, 0.5, 0.146_446_6, 0, 0])
        // With a minimum of 0.2: 0.2 + 0.8·factor.
        expectClose(
            perEpoch(CosineAnnealing(period: 2, minimum: 0.2), epochs: 3), [1, 0.6, 0.2])
    }

    @Test func sgdrRestartsAndStretchesItsPeriods() {
        expectClose(
            perEpoch(CosineAnnealing(period: 2, restarts: true), epochs: 4), [1, 0.5, 1, 0.5])
        // T₀ = 1, T_mult = 2: cycles start at epochs 0, 1, 3, 7.
        let stretched = CosineAnnealing(period: 1, restarts: true, periodMultiplier: 2)
        expectClose(perEpoch(stretched, epochs: 7), [1, 1, 0.5, 1, 0.853_553_4, 0.5, 0.146_446_6])
        // Fractional epochs: halfway through the first cycle.
        let halfway = stretched.learningRate(
            at: TrainingPosition(epoch: 0, step: 1, stepsPerEpoch: 2), base: 1)
        expectClose([halfway], [0.5])
    }

    @Test func cosineWarmupIsLinearPerBatch() {
        // One warm-up epoch of 4 batches: (step + 1)/4, then the cosine from its top.
        let schedule = CosineAnnealing(period: 2, warmupEpochs: 1)
        let rates = schedule.learningRates(base: 1, epochs: 3, stepsPerEpoch: 4)
        expectClose(Array(rates[0..<4]), [0.25, 0.5, 0.75, 1])
        expectClose([rates[4], rates[8]], [1, 0.5])
    }

    @Test func oneCycleWarmsUpThenAnnealsToAFraction() {
        // 10 steps, f = 0.3: warm-up ends at step 2, annealing at step 9; start 1/25, end
        // 1/25/10⁴. Step 1 is halfway up: 1 + (0.04 − 1)·½; step 3 is 1/7 of the way down.
        let rates = OneCycle(epochs: 1).learningRates(base: 1, epochs: 1, stepsPerEpoch: 10)
        expectClose(Array(rates[0..<4]), [0.04, 0.52, 1, 0.950_484_6])
        expectClose([rates[9]], [4e-6], tolerance: 1e-9)
        #expect(zip(rates.dropFirst(2), rates.dropFirst(3)).allSatisfy { $0 > $1 })
        let explicit = OneCycle(epochs: 1, maximum: 0.5).learningRate(
            at: TrainingPosition(epoch: 0, step: 2, stepsPerEpoch: 10), base: 1)
        expectClose([explicit], [0.5])
    }

    @Test func reduceOnPlateauCutsAfterPatienceRunsOut() {
        var schedule = ReduceOnPlateau(factor: 0.5, patience: 1)
        var rates: [Float] = []
        for metric: Float in [1, 0.9, 0.95, 0.96, 0.97, 0.5] {
            schedule.observe(metric: metric)
            rates.append(schedule.learningRate(at: TrainingPosition(epoch: 0), base: 1))
        }
        // Bad epochs at 0.95 (1 ≤ patience) and 0.96 (2 > patience: cut).
        expectClose(rates, [1, 1, 1, 0.5, 0.5, 0.5])
    }

    @Test func reduceOnPlateauCooldownAndMaximizeMode() {
        var cooled = ReduceOnPlateau(factor: 0.5, patience: 1, cooldown: 1)
        var rates: [Float] = []
        for metric: Float in [1, 1, 1, 1, 1, 1] {
            cooled.observe(metric: metric)
            rates.append(cooled.learningRate(at: TrainingPosition(epoch: 0), base: 1))
        }
        // Cut at the third epoch; the fourth is cooldown; bad epochs count again from the
        // fifth, cutting at the sixth.
        expectClose(rates, [1, 1, 0.5, 0.5, 0.5, 0.25])
        var accuracy = ReduceOnPlateau(mode: .maximize, factor: 0.1, patience: 0, minimum: 0.05)
        accuracy.observe(metric: 0.8)
        accuracy.observe(metric: 0.9)
        #expect(accuracy.scale == 1)
        accuracy.observe(metric: 0.85)
        accuracy.observe(metric: 0.85)
        expectClose([accuracy.learningRate(at: TrainingPosition(epoch: 0), base: 1)], [0.05])
    }

    @Test func applyingAScheduleSetsTheOptimizerAndItsGroups() throws {
        let opt = try SGD(learningRate: 0.1)
        opt.parameterGroups = [ParameterGroup(prefix: "0", learningRate: 0.01)]
        ExponentialDecay(factor: 0.5).apply(to: opt, at: TrainingPosition(epoch: 2))
        expectClose([opt.learningRate], [0.025])
        let model = try Sequential { try ParameterLayer([1]) }
        try opt.update(model, along: gradient(of: model) { m in try m(Tensor(0)).sum() })
        // The group's rate follows: 0.01·0.25.
        expectClose(try (model[0] as? ParameterLayer)?.value.value.scalars ?? [], [0.9975])
    }
}
