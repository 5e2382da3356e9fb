import Testing

@testable import Tune

/// The grid: every combination once in the documented order, the study ends when it is
/// exhausted, and a failed trial's combination is tried again.
@Suite struct GridSamplerTests {
    @Test func everyCombinationOnceInNameOrder() throws {
        let study = Study(
            sampler: .grid(["units": [64, 128], "dropout": [0.0, 0.5], "act": ["relu"]]))
        var seen: [String] = []
        let outcome = try study.optimize(trials: 10) { trial in
            let units = try trial.choice("units", [32, 64, 128])
            let dropout = try trial.uniform("dropout", 0...0.5)
            let act = try trial.choice("act", ["relu", "gelu"])
            seen.append("\(act) \(dropout) \(units)")
            return Double(units) * dropout
        }
        #expect(outcome == .exhausted)
        #expect(seen == ["relu 0.0 64", "relu 0.0 128", "relu 0.5 64", "relu 0.5 128"])
        #expect(study.trials.count == 4)
        #expect(try study.optimize(trials: 3) { _ in 0.0 } == .exhausted)
    }

    @Test func completenessOnALargerGrid() throws {
        let grid: [String: [ParameterValue]] = [
            "a": [1, 2, 3], "b": [true, false], "c": [1, 2, 3, 4],
        ]
        let study = Study(sampler: .grid(grid))
        var combos = Set<[ParameterValue]>()
        try study.optimize(trials: 100) { trial in
            let a = try trial.int("a", 1...3)
            let b = try trial.choice("b", [true, false])
            let c = try trial.int("c", 1...4)
            combos.insert([.int(a), .bool(b), .int(c)])
            return 0.0
        }
        #expect(combos.count == 24)
        #expect(study.trials.count == 24)
    }

    @Test func aFailedCombinationIsTriedAgain() throws {
        let study = Study(sampler: .grid(["x": [1, 2]]))
        var attempts: [Int] = []
        try study.optimize(trials: 5) { trial in
            let x = try trial.int("x", 1...2)
            attempts.append(x)
            if attempts.count == 1 { throw TuneError.noCompletedTrials }
            return Double(x)
        }
        #expect(attempts == [1, 1, 2])
    }

    @Test func aParameterOutsideTheGridIsAnError() {
        let study = Study(sampler: .grid(["x": [1, 2]]))
        #expect(throws: TuneError.self) {
            try study.optimize(trials: 1, catch: false) { try $0.uniform("y", 0...1) }
        }
        #expect(throws: TuneError.self) {
            try study.optimize(trials: 1, catch: false) { Double(try $0.int("x", 5...9)) }
        }
    }
}
