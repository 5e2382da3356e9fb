import Foundation
import Tune

/// A standard test function of black-box optimisation with a known minimum, asked for its
/// parameters through a trial (the same domains as bench/peers/optuna_tune.py's).
enum TestFunction: String, CaseIterable {
    /// Branin on [−5, 10] × [0, 15]; minimum 0.397887 (three places).
    case branin
    /// Hartmann-6 on [0, 1]⁶; minimum −3.32237.
    case hartmann6
    /// Rosenbrock in 5-D: x1…x4 in [−2, 2] continuous, x5 a categorical choice among
    /// −1, 0, 1, 2 (asked as the strings "-1" … "2"); minimum 0 at all ones.
    case rosenbrock5c

    /// The known minimum.
    var minimum: Double {
        switch self {
        case .branin: return 0.397_887_357_729_739
        case .hartmann6: return -3.322_368_011_415_515
        case .rosenbrock5c: return 0
        }
    }

    /// The function's value at the parameters the trial asks for.
    func evaluate(_ trial: Trial) throws -> Double {
        switch self {
        case .branin:
            let x1 = try trial.uniform("x1", -5...10)
            let x2 = try trial.uniform("x2", 0...15)
            return Self.branin(x1, x2)
        case .hartmann6:
            let x = try (1...6).map { try trial.uniform("x\($0)", 0...1) }
            return Self.hartmann6(x)
        case .rosenbrock5c:
            var x = try (1...4).map { try trial.uniform("x\($0)", -2...2) }
            let last: String = try trial.choice("x5", ["-1", "0", "1", "2"])
            x.append(Double(last) ?? .nan)
            return Self.rosenbrock(x)
        }
    }

    static func branin(_ x1: Double, _ x2: Double) -> Double {
        let b = 5.1 / (4 * Double.pi * Double.pi)
        let c = 5 / Double.pi
        let t = 1 / (8 * Double.pi)
        let inner = x2 - b * x1 * x1 + c * x1 - 6
        return inner * inner + 10 * (1 - t) * cos(x1) + 10
    }

    static func hartmann6(_ x: [Double]) -> Double {
        let alpha = [1.0, 1.2, 3.0, 3.2]
        let a: [[Double]] = [
            [10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
            [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14],
        ]
        let p: [[Double]] = [
            [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
            [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
            [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
            [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
        ]
        var total = 0.0
        for i in 0..<4 {
            var exponent = 0.0
            for j in 0..<6 { exponent += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]) }
            total += alpha[i] * exp(-exponent)
        }
        return -total
    }

    static func rosenbrock(_ x: [Double]) -> Double {
        var total = 0.0
        for i in 0..<(x.count - 1) {
            let a = x[i + 1] - x[i] * x[i]
            total += 100 * a * a + (1 - x[i]) * (1 - x[i])
        }
        return total
    }
}
