import Foundation
import Testing

@testable import Tune

/// The Parzen estimator inside TPE against Optuna's: bench/peers/optuna_parzen_densities.py
/// recorded the log densities of Optuna 5.0.0's `_ParzenEstimator` (prior weight 1, magic clip,
/// endpoints off, default weights) for fixed observations over a float, a log-scaled float and
/// a choice of four, and over three integers (Fixtures/optuna-parzen-densities.json); the same
/// estimator here must give the same densities.
@Suite struct OptunaParzenParityTests {
    struct Recording: Decodable {
        struct Case: Decodable {
            let observations: [[Double]]
            let logDensities: [Double]
        }
        let optuna: String
        let queries: [[Double]]
        let cases: [Case]
        let discreteQueries: [[Double]]
        let discreteCases: [Case]
    }

    static let recording: Recording? = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/optuna-parzen-densities.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONDecoder().decode(Recording.self, from: data)
    }()

    let space: [(name: String, distribution: Distribution)] = [
        ("x", .float(-5...10, log: false)), ("rate", .float(1e-4...1e-1, log: true)),
        ("kind", .choice(["a", "b", "c", "d"])),
    ]

    /// A row of (x, rate, option index) in internal coordinates.
    func internalRow(_ row: [Double]) -> [Double] { [row[0], log(row[1]), row[2]] }

    @Test func logDensitiesMatchOptunas() throws {
        let recording = try #require(Self.recording, "the fixture did not load")
        #expect(recording.cases.count == 3)
        for recorded in recording.cases {
            let rows = recorded.observations.map(internalRow)
            let estimator = ParzenEstimator(
                space: space, observations: rows, weights: TPESampler.weights(rows.count),
                priorWeight: 1)
            for (query, expected) in zip(recording.queries, recorded.logDensities) {
                let density = estimator.logDensity(internalRow(query))
                #expect(
                    abs(density - expected) < 1e-9,
                    "\(rows.count) observations, at \(query): \(density), Optuna \(expected)")
            }
        }
    }

    /// Integers get Optuna's discrete kernels: the mass on the value's cell, not the density
    /// at the value.
    @Test func integerDensitiesAreCellMassesAsOptunas() throws {
        let recording = try #require(Self.recording, "the fixture did not load")
        let integers: [(name: String, distribution: Distribution)] = [
            ("layers", .int(1...6, step: 1, log: false)),
            ("units", .int(8...512, step: 1, log: true)),
            ("batch", .int(16...256, step: 16, log: false)),
        ]
        func row(_ values: [Double]) -> [Double] { [values[0], log(values[1]), values[2]] }
        #expect(recording.discreteCases.count == 2)
        for recorded in recording.discreteCases {
            let rows = recorded.observations.map(row)
            let estimator = ParzenEstimator(
                space: integers, observations: rows, weights: TPESampler.weights(rows.count),
                priorWeight: 1)
            for (query, expected) in zip(recording.discreteQueries, recorded.logDensities) {
                let density = estimator.logDensity(row(query))
                #expect(
                    abs(density - expected) < 1e-9,
                    "\(rows.count) observations, at \(query): \(density), Optuna \(expected)")
            }
        }
        // Draws land on the grid.
        var generator = SamplerRandom.generator(seed: 1, trial: 0, purpose: "test")
        let estimator = ParzenEstimator(
            space: integers, observations: recording.discreteCases[0].observations.map(row),
            weights: [1], priorWeight: 1)
        for _ in 0..<50 {
            let x = estimator.sample(&generator)
            for (d, dimension) in integers.enumerated() {
                let value = dimension.distribution.value(atInternal: x[d])
                #expect(dimension.distribution.internalValue(of: value) == x[d])
            }
        }
    }
}
