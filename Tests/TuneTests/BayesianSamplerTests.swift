import Foundation
import Testing

@testable import Tune

/// TPE and the GP approach the optimum of a 1-D function and beat random search on a 2-D one
/// (mean best over seeds; every run is seeded, so the comparison is deterministic).
@Suite struct BayesianSamplerTests {
    func best(_ sampler: some Sampler, trials: Int, _ f: @escaping (Double, Double) -> Double)
        throws -> Double
    {
        let study = Study(direction: .minimize, sampler: sampler)
        try study.optimize(trials: trials, catch: false) { trial in
            f(try trial.uniform("x", -5...10), try trial.uniform("y", 0...15))
        }
        return try study.best.value
    }

    /// Branin (Dixon & Szegő, 1978): minimum 0.397887 at three points.
    static func branin(_ x: Double, _ y: Double) -> Double {
        let b = 5.1 / (4 * Double.pi * Double.pi)
        let c = 5 / Double.pi
        let t = 1 / (8 * Double.pi)
        return pow(y - b * x * x + c * x - 6, 2) + 10 * (1 - t) * cos(x) + 10
    }

    @Test func tpeApproachesTheOptimumIn1D() throws {
        let study = Study(direction: .minimize, sampler: .tpe(seed: 1))
        try study.optimize(trials: 40, catch: false) { trial in
            let x = try trial.uniform("x", -2...2)
            return (x - 0.3) * (x - 0.3)
        }
        let best = try study.best.value
        print("TPE 1-D best \(best)")
        #expect(best < 1e-3)
    }

    @Test func gpApproachesTheOptimumIn1D() throws {
        let study = Study(direction: .minimize, sampler: .gaussianProcess(seed: 1))
        try study.optimize(trials: 20, catch: false) { trial in
            let x = try trial.uniform("x", -2...2)
            return (x - 0.3) * (x - 0.3)
        }
        let best = try study.best.value
        print("GP 1-D best \(best)")
        #expect(best < 1e-4)
    }

    @Test func tpeAndGPBeatRandomOnBranin() throws {
        let seeds: [UInt64] = [1, 2, 3, 4]
        var random = 0.0
        var tpe = 0.0
        var gp = 0.0
        for seed in seeds {
            random += try best(RandomSampler(seed: seed), trials: 30, Self.branin)
            tpe += try best(TPESampler(seed: seed), trials: 30, Self.branin)
            gp += try best(GPSampler(seed: seed), trials: 25, Self.branin)
        }
        let n = Double(seeds.count)
        print("Branin mean best: random \(random / n), TPE \(tpe / n), GP \(gp / n)")
        #expect(tpe < random)
        #expect(gp < random)
        #expect(gp / n < 0.6)
    }

    @Test func tpeIsReproducibleAndUsesTheConstantLiar() throws {
        func run() throws -> [TrialRecord] {
            let study = Study(direction: .minimize, sampler: .tpe(seed: 5, startupTrials: 3))
            try study.optimize(trials: 12) { trial in
                let x = try trial.uniform("x", 0...1)
                let k = try trial.choice("k", ["a", "b", "c"])
                return x + (k == "b" ? 0 : 1)
            }
            return study.trials
        }
        #expect(try run() == run())
        // A running trial goes to the bad group, the lie: not to l(x).
        let sampler = TPESampler(seed: 1, startupTrials: 1)
        var good = TrialRecord(number: 0)
        good.state = .complete
        good.values = [0]
        good.parameters = ["x": .double(0.5)]
        good.distributions = ["x": .float(0...1, log: false)]
        var running = good
        running = TrialRecord(number: 1)
        running.parameters = good.parameters
        running.distributions = good.distributions
        let history = StudyHistory(directions: [.minimize], trials: [good, running])
        let groups = sampler.split(history, names: ["x"], excluding: 2)
        #expect(groups.belowNumbers == [0])
        #expect(groups.aboveNumbers == [1])
    }

    @Test func tpeAndGPHonourConstraints() throws {
        // Minimize (x − 0.2)² + (y − 0.2)² subject to x ≥ 0.6: the constrained optimum is 0.16.
        // The same seeded search with the constraint reported finds a better feasible point
        // than without it (judged afterwards).
        func bestFeasible(_ sampler: some Sampler, reporting: Bool) throws -> Double {
            let study = Study(direction: .minimize, sampler: sampler)
            try study.optimize(trials: 25, catch: false) { trial in
                let x = try trial.uniform("x", 0...1)
                let y = try trial.uniform("y", 0...1)
                if reporting { trial.constrain(0.6 - x) }
                return (x - 0.2) * (x - 0.2) + (y - 0.2) * (y - 0.2)
            }
            let feasible = study.trials.filter {
                $0.state == .complete && ($0.parameters["x"]?.doubleValue ?? 0) >= 0.6
            }
            return feasible.compactMap(\.value).min() ?? 1
        }
        var results: [String: (with: Double, without: Double)] = [:]
        for seed: UInt64 in [1, 2, 3] {
            for (name, with, without) in [
                (
                    "TPE", try bestFeasible(TPESampler(seed: seed), reporting: true),
                    try bestFeasible(TPESampler(seed: seed), reporting: false)
                ),
                (
                    "GP", try bestFeasible(GPSampler(seed: seed), reporting: true),
                    try bestFeasible(GPSampler(seed: seed), reporting: false)
                ),
            ] {
                let sum = results[name] ?? (0, 0)
                results[name] = (sum.with + with / 3, sum.without + without / 3)
            }
        }
        print("mean best feasible (with, without constraints):", results)
        for (name, result) in results {
            #expect(result.with < result.without, "\(name)")
            #expect(result.with < 0.25, "\(name)")  // random search: 0.35
        }
    }

    @Test func logExpectedImprovementIsStableFarBelowTheIncumbent() {
        // log h(z) against direct evaluation where that is accurate, and finite far out.
        for z in [-0.5, 0.0, 1.0, 3.0] {
            let direct = log(exp(-z * z / 2) / (2 * Double.pi).squareRoot() + z * Gaussian.cdf(z))
            #expect(abs(LogExpectedImprovement.logH(z) - direct) < 1e-9)
        }
        let z = -5.0
        let direct = log(exp(-z * z / 2) / (2 * Double.pi).squareRoot() + z * Gaussian.cdf(z))
        #expect(abs(LogExpectedImprovement.logH(z) - direct) < 1e-6)
        let far = LogExpectedImprovement.logH(-40)
        #expect(far.isFinite && far < LogExpectedImprovement.logH(-30))
        // No seam where the two forms meet: the step across z = −25 is the slope
        // d log h/dz ≈ −z − 2/z times the width.
        let step = LogExpectedImprovement.logH(-24.999) - LogExpectedImprovement.logH(-25.001)
        #expect(abs(step - 0.002 * (25 + 2.0 / 25)) < 1e-5)
    }
}

/// TPE with a pruner, as Optuna's: pruned trials count against the start-up trials and share
/// the search space, so that a study whose trials are mostly pruned is modelled after its first
/// `startupTrials` trials, not after its first `startupTrials` complete ones.
@Suite struct TPEWithPrunedTrialsTests {
    func record(_ number: Int, _ state: TrialState, x: Double) -> TrialRecord {
        var record = TrialRecord(number: number)
        record.state = state
        record.values = [x]
        record.intermediateValues = [1: [x]]
        record.setParameter("x", .double(x), .float(0...1, log: false))
        return record
    }

    @Test func prunedTrialsCountAgainstTheStartUpTrials() throws {
        let sampler = TPESampler(seed: 1, startupTrials: 10)
        // One complete trial and nine pruned ones: ten finished trials.
        let trials =
            [record(0, .complete, x: 0.5)]
            + (1..<10).map { record($0, .pruned, x: Double($0) / 10) }
        let history = StudyHistory(directions: [.minimize], trials: trials)
        #expect(history.finishedTrialCount == 10)
        #expect(history.intersectionSearchSpace(includingPruned: true).map(\.name) == ["x"])
        let joint = try sampler.startTrial(10, history: history)
        #expect(joint["x"] != nil, "TPE still drew at random after ten finished trials")
        // Nine finished trials: still random.
        let fewer = StudyHistory(directions: [.minimize], trials: Array(trials.prefix(9)))
        #expect(try sampler.startTrial(9, history: fewer).isEmpty)
    }
}
