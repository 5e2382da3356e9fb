import Foundation
import Testing

@testable import Tune

/// Multi-objective samplers on ZDT1 (Zitzler, Deb & Thiele, 2000) in three dimensions: NSGA-II
/// and MO-TPE against random search by the hypervolume of their fronts (mean over seeds).
@Suite struct MultiObjectiveTests {
    static func zdt1(_ x: [Double]) -> [Double] {
        let g = 1 + 9 * x.dropFirst().reduce(0, +) / Double(x.count - 1)
        return [x[0], g * (1 - (x[0] / g).squareRoot())]
    }

    func hypervolume(_ sampler: some Sampler, trials: Int) throws -> Double {
        let study = try Study(directions: [.minimize, .minimize], sampler: sampler)
        try study.optimize(trials: trials, catch: false) { trial in
            Self.zdt1(try (0..<3).map { try trial.uniform("x\($0)", 0...1) })
        }
        return Hypervolume.twoDimensional(
            study.paretoFront.map(\.values), reference: [1.1, 11])
    }

    @Test func hypervolumeOfKnownFronts() {
        #expect(Hypervolume.twoDimensional([[0, 1], [1, 0]], reference: [2, 2]) == 3)
        #expect(Hypervolume.twoDimensional([[0, 1], [1, 0], [1, 1]], reference: [2, 2]) == 3)
        #expect(Hypervolume.twoDimensional([[3, 0]], reference: [2, 2]) == 0)
    }

    @Test func nsga2AndMultiObjectiveTPEBeatRandom() throws {
        var random = 0.0
        var nsga = 0.0
        var tpe = 0.0
        for seed: UInt64 in [1, 2, 3] {
            random += try hypervolume(RandomSampler(seed: seed), trials: 60)
            nsga += try hypervolume(NSGAIISampler(seed: seed, populationSize: 12), trials: 60)
            tpe += try hypervolume(TPESampler(seed: seed), trials: 60)
        }
        print("ZDT1 hypervolume (sum of 3 seeds): random \(random), NSGA-II \(nsga), MO-TPE \(tpe)")
        #expect(nsga > random)
        #expect(tpe > random)
    }

    @Test func multiObjectiveTPEKeepsATenthAsTheGoodGroupWithEqualWeights() {
        // Optuna 5: ⌈0.1·n⌉ good trials with several objectives (no cap of 25), all weighted 1;
        // one objective keeps the cap and the ramp for older trials.
        let space: [(name: String, distribution: Distribution)] = [
            ("x", .float(0...1, log: false))
        ]
        func trials(objectives: Int) -> [TrialRecord] {
            (0..<400).map { number in
                var trial = TrialRecord(number: number)
                trial.state = .complete
                let x = Double(number) / 400
                trial.values = objectives == 1 ? [x] : [x, 1 - x]
                trial.parameters = ["x": .double(x)]
                trial.distributions = ["x": space[0].distribution]
                return trial
            }
        }
        let sampler = TPESampler(seed: 1)
        let two = StudyHistory(directions: [.minimize, .minimize], trials: trials(objectives: 2))
        let groups = sampler.split(two, names: ["x"], excluding: 400)
        #expect(groups.belowCount == 40 && groups.aboveCount == 360)
        let equal = sampler.estimator(
            space, groups.below, count: groups.belowCount, equalWeights: true)
        let weights = equal.logWeights.dropLast().map { exp($0) }
        #expect(weights.allSatisfy { abs($0 - weights[0]) < 1e-12 })
        let one = StudyHistory(directions: [.minimize], trials: trials(objectives: 1))
        #expect(sampler.split(one, names: ["x"], excluding: 400).belowCount == 25)
        let ramped = sampler.estimator(space, groups.above, count: groups.aboveCount).logWeights
            .dropLast()
        #expect(ramped.first.map { $0 < ramped.last ?? 0 } == true)
    }

    @Test func nsga2ChildrenComeFromTheirParents() throws {
        // Without mutation and with a choice-only space, every child after the first
        // generation has only values its population had.
        let sampler = NSGAIISampler(seed: 4, populationSize: 6, mutationProbability: 0)
        let study = try Study(directions: [.minimize, .minimize], sampler: sampler)
        try study.optimize(trials: 18, catch: false) { trial in
            let a = try trial.choice("a", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
            let b = try trial.choice("b", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
            return [Double(a), Double(b)]
        }
        let firstA = Set(study.trials.prefix(6).compactMap { $0.parameters["a"] })
        let firstB = Set(study.trials.prefix(6).compactMap { $0.parameters["b"] })
        for record in study.trials[6..<12] {
            #expect(record.parameters["a"].map(firstA.contains) == true)
            #expect(record.parameters["b"].map(firstB.contains) == true)
        }
        #expect(throws: TuneError.self) {
            try Study(directions: [.minimize, .minimize], sampler: .gaussianProcess())
                .optimize(trials: 1) { _ in [0.0, 0.0] }
        }
    }
}
