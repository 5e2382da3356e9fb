import Data
import Foundation
import Testing

@testable import NN
@testable import Tensor

/// Knowledge distillation (Hinton et al., 2015): the loss against a hand computation and
/// finite differences, the T² scaling, and `fit(…, teacher:, distillation:)` with its teacher
/// cache, History and errors.
@Suite struct DistillationTests {
    // Logits and labels of a two-example, three-class batch; the expected values were computed
    // in float64 with NumPy from the formula α·T²·KL(softmax(t/T) ‖ softmax(s/T)) + (1 − α)·CE.
    let student = try? Tensor([1.0, -0.5, 0.25, 0.3, 0.8, -1.2], shape: [2, 3])
    let teacher = try? Tensor([2.0, 0.5, -1.0, -0.4, 1.5, 0.1], shape: [2, 3])
    let labels = try? Tensor([0, 2] as [Int32], shape: [2])

    @Test func lossMatchesAHandComputation() throws {
        let (s, t, y) = (try #require(student), try #require(teacher), try #require(labels))
        let loss = try distillationLoss(
            student: s, teacher: t, labels: y, temperature: 2, alpha: 0.7)
        try expectScalar(loss, 0.686_666_276, tolerance: 1e-5)
        let parts = try Distillation.hinton(temperature: 2, alpha: 0.7).loss(
            student: s, teacher: t, labels: y, studentLoss: .softmaxCrossEntropy())
        expectClose([parts.distillation, parts.student], [0.320_323_395, 1.541_466_332])
        // α = 0 is the plain cross-entropy, α = 1 the soft term alone.
        try expectScalar(
            distillationLoss(student: s, teacher: t, labels: y, temperature: 2, alpha: 0),
            1.541_466_332)
        try expectScalar(
            distillationLoss(student: s, teacher: t, labels: y, temperature: 2, alpha: 1),
            0.320_323_395)
    }

    @Test func gradientMatchesTheFormulaAndFiniteDifferences() throws {
        let (s, t, y) = (try #require(student), try #require(teacher), try #require(labels))
        let logits = try ParameterLayer(s.scalars, shape: [2, 3])
        let grads = try gradient(of: logits) { m in
            try distillationLoss(student: m(s), teacher: t, labels: y, temperature: 2, alpha: 0.7)
        }
        // α·T·(softmax(s/T) − softmax(t/T))/N + (1 − α)·(softmax(s) − onehot(y))/N.
        expectClose(
            try #require(grads["value"]).scalars,
            [-0.150_263, -0.022_174_1, 0.172_437_1, 0.162_441_3, 0.040_516_6, -0.202_957_9],
            tolerance: 1e-5)
        let wide = try ParameterLayer(try sample([4, 5], seed: 3).scalars, shape: [4, 5])
        let wideTeacher = try sample([4, 5], seed: 4) * 3
        let wideLabels = try Tensor([1, 4, 0, 2] as [Int32], shape: [4])
        for temperature: Float in [1, 3] {
            try checkModelGradients(of: wide) { m in
                try distillationLoss(
                    student: m(Tensor(0)), teacher: wideTeacher, labels: wideLabels,
                    temperature: temperature, alpha: 0.6)
            }
        }
    }

    @Test func teacherLogitsAreConstants() throws {
        let (s, t, y) = (try #require(student), try #require(teacher), try #require(labels))
        // Differentiating with respect to student and teacher together: the teacher gets none.
        let grads = try gradient(at: [s, t]) { p in
            try distillationLoss(student: p[0], teacher: p[1], labels: y, temperature: 4)
        }
        #expect(grads[1].scalars.allSatisfy { $0 == 0 })
        #expect(grads[0].scalars.contains { $0 != 0 })
    }

    /// Hinton et al. §2: the soft term's gradient scales as 1/T², so multiplying by T² keeps it
    /// comparable across temperatures; without the factor it collapses as T grows.
    @Test func squaredTemperatureKeepsGradientMagnitudesComparable() throws {
        let s = try sample([8, 10], seed: 5)
        let t = try sample([8, 10], seed: 6) * 2
        let y = try Tensor([Int32](repeating: 0, count: 8), shape: [8])
        func gradientNorm(_ temperature: Float, scaled: Bool) throws -> Float {
            let g = try gradient(at: s) { x in
                let soft = try distillationLoss(
                    student: x, teacher: t, labels: y, temperature: temperature, alpha: 1)
                return scaled ? soft : try soft / (temperature * temperature)
            }
            return sqrt(g.scalars.reduce(0) { $0 + $1 * $1 })
        }
        let temperatures: [Float] = [1, 2, 4, 8]
        let scaled = try temperatures.map { try gradientNorm($0, scaled: true) }
        let unscaled = try temperatures.map { try gradientNorm($0, scaled: false) }
        let (lowest, highest) = (try #require(scaled.min()), try #require(scaled.max()))
        #expect(highest / lowest < 1.6, "T²-scaled gradient norms \(scaled)")
        #expect(unscaled[0] / unscaled[3] > 30, "unscaled gradient norms \(unscaled)")
    }

    @Test func lossRejectsBadSettings() throws {
        let (s, t, y) = (try #require(student), try #require(teacher), try #require(labels))
        for (temperature, alpha): (Float, Float) in [
            (0, 0.5), (-1, 0.5), (.infinity, 0.5), (2, 1.5), (2, -0.1),
        ] {
            #expect(throws: NNError.self) {
                try distillationLoss(
                    student: s, teacher: t, labels: y, temperature: temperature, alpha: alpha)
            }
        }
        #expect(throws: NNError.self) {
            try distillationLoss(student: s, teacher: try t[0..<1], labels: y)
        }
    }
}
