import Testing

@testable import Tune

/// PED-ANOVA on a function where one parameter matters much, one little and one not at all.
@Suite struct ImportanceTests {
    @Test func theParameterThatMattersComesFirst() throws {
        let study = Study(direction: .minimize, sampler: .random(seed: 6))
        try study.optimize(trials: 200, catch: false) { trial in
            let x = try trial.uniform("x", 0...1)
            let y = try trial.uniform("y", 0...1)
            _ = try trial.choice("unused", ["a", "b", "c"])
            return 10 * (x - 0.5) * (x - 0.5) + 0.3 * y
        }
        let importances = try study.importances()
        print(importances)
        #expect(importances.map(\.name) == ["x", "y", "unused"])
        #expect(abs(importances.reduce(0) { $0 + $1.importance } - 1) < 1e-9)
        #expect((importances.first?.importance ?? 0) > 0.5)
        #expect(throws: TuneError.self) { try Study().importances() }
    }
}
