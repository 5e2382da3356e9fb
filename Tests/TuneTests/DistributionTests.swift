import Foundation
import Testing

@testable import Tune

/// Every distribution through a seeded random study: values inside the bounds, on the steps,
/// log spacing by decade, every option reachable; invalid declarations and conflicting ones
/// are typed errors.
@Suite struct DistributionTests {
    func draws<Value>(_ count: Int, seed: UInt64 = 3, _ ask: @escaping (Trial) throws -> Value)
        throws -> [Value]
    {
        let study = Study(sampler: .random(seed: seed))
        var values: [Value] = []
        try study.optimize(trials: count, catch: false) { trial in
            values.append(try ask(trial))
            return 0.0
        }
        return values
    }

    @Test func uniformStaysInItsBoundsAndCoversThem() throws {
        let values = try draws(400) { try $0.uniform("x", -2...3) }
        #expect(values.allSatisfy { (-2...3).contains($0) })
        #expect(values.min() ?? 0 < -1.9)
        #expect(values.max() ?? 0 > 2.9)
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(abs(mean - 0.5) < 0.25)
    }

    @Test func logUniformGivesEachDecadeAnEqualShare() throws {
        let values = try draws(600) { try $0.logUniform("rate", 1e-4...1e-1) }
        #expect(values.allSatisfy { (1e-4...1e-1).contains($0) })
        for decade in [1e-4, 1e-3, 1e-2] {
            let share = Double(values.filter { $0 >= decade && $0 < decade * 10 }.count) / 600
            #expect(abs(share - 1.0 / 3) < 0.07, "decade \(decade): \(share)")
        }
    }

    @Test func integersStayOnTheirSteps() throws {
        let values = try draws(300) { try $0.int("units", 32...256, step: 32) }
        #expect(Set(values) == Set(stride(from: 32, through: 256, by: 32)))
        // A range whose top is off the grid ends at the last step inside it.
        let odd = try draws(200) { try $0.int("k", 1...10, step: 4) }
        #expect(Set(odd) == [1, 5, 9])
        let plain = try draws(200) { try $0.int("layers", 1...3) }
        #expect(Set(plain) == [1, 2, 3])
    }

    @Test func logIntegersFavourSmallValues() throws {
        let values = try draws(600) { try $0.int("batch", 1...1000, log: true) }
        #expect(values.allSatisfy { (1...1000).contains($0) })
        let belowTen = values.filter { $0 < 10 }.count
        #expect(belowTen > 120 && belowTen < 300, "\(belowTen) of 600 below 10")
    }

    @Test func choicesOverNumbersStringsAndBooleans() throws {
        let numbers = try draws(100) { try $0.choice("units", [32, 64, 128]) }
        #expect(Set(numbers) == [32, 64, 128])
        let rates = try draws(100) { try $0.choice("rate", [0.1, 0.01]) }
        #expect(Set(rates) == [0.1, 0.01])
        let names = try draws(100) { try $0.choice("activation", ["relu", "gelu"]) }
        #expect(Set(names) == ["relu", "gelu"])
        let flags = try draws(100) { try $0.choice("bias", [true, false]) }
        #expect(Set(flags) == [true, false])
    }

    @Test func internalCoordinatesRoundTrip() {
        let cases: [(Distribution, ParameterValue)] = [
            (.float(0...1, log: false), .double(0.25)),
            (.float(1e-3...1, log: true), .double(0.01)),
            (.int(2...20, step: 3, log: false), .int(11)),
            (.int(1...64, step: 1, log: true), .int(17)),
            (.choice(["a", "b", "c"]), .string("c")),
        ]
        for (distribution, value) in cases {
            let x = distribution.internalValue(of: value)
            let back = x.map { distribution.value(atInternal: $0) }
            if case .double(let exact) = value {
                // exp(log(x)) is x to within rounding.
                #expect(abs((back?.doubleValue ?? 0) - exact) <= 1e-15, "\(distribution)")
            } else {
                #expect(back == value, "\(distribution)")
            }
        }
        #expect(Distribution.int(2...20, step: 3, log: false).internalValue(of: .int(12)) == nil)
        #expect(Distribution.float(0...1, log: false).value(atInternal: 7) == .double(1))
    }

    @Test func invalidDeclarationsAreTypedErrors() {
        let study = Study(sampler: .random(seed: 1))
        let bad: [(Trial) throws -> Void] = [
            { _ = try $0.logUniform("a", 0...1) },
            { _ = try $0.int("b", 1...9, step: 0) },
            { _ = try $0.int("c", 1...9, step: 2, log: true) },
            { _ = try $0.choice("d", [Int]()) },
            { _ = try $0.choice("e", [1, 1]) },
            { _ = try $0.uniform("f", -Double.infinity...0) },
        ]
        for ask in bad {
            #expect(throws: TuneError.self) {
                try study.optimize(trials: 1, catch: false) { trial in
                    try ask(trial)
                    return 0.0
                }
            }
        }
        #expect(study.trials.allSatisfy { if case .failed = $0.state { true } else { false } })
    }

    @Test func askingAgainWithAnotherRangeIsAClearError() throws {
        let study = Study(sampler: .random(seed: 1))
        try study.optimize(trials: 1) { trial in
            let a = try trial.uniform("dropout", 0...0.5)
            #expect(try trial.uniform("dropout", 0...0.5) == a)  // same name, same value
            return a
        }
        var caught: TuneError?
        do {
            try study.optimize(trials: 1, catch: false) { try $0.uniform("dropout", 0...0.9) }
        } catch let error as TuneError {
            caught = error
        }
        #expect(
            caught
                == .conflictingDistribution(
                    name: "dropout", existing: "uniform(0.0...0.5)",
                    requested: "uniform(0.0...0.9)"))
        #expect(caught?.description.contains("new name") == true)
    }
}
