import CellLibrary
import Foundation
import Testing

@testable import Cell

/// Knowledge distillation in cells: `fit(…, teacher:, distillation:)`, its History, the
/// `Distillation` settings, and `distillationLoss` in a hand-written loop.
@Suite struct BindingsDistillationTests {
    /// A session with blobs, a trained teacher (with dropout) and an untrained student.
    private func harness() -> CellHarness {
        let harness = CellHarness()
        let setUp = harness.run(
            """
            seed(7)
            let data = Synthetic.blobs(centers: 3, pointsPerCenter: 60, standardDeviation: 0.8)
            let teacher = Sequential { Dense(2, 32, activation: relu); Dropout(0.5); Dense(32, 3) }
            teacher.fit(data, epochs: 20, batchSize: 16, optimizer: Adam(learningRate: 0.02), verbose: false)
            var student = Sequential { Dense(2, 8, activation: relu); Dense(8, 3) }
            let teacherWeights = teacher[0].weight.value
            """)
        #expect(setUp.error == nil, "\(setUp.error.map { "\($0.value)" } ?? "")")
        return harness
    }

    @Test func fitWithATeacherRecordsBothLossPartsAndLeavesTheTeacherAlone() {
        let harness = harness()
        let run = harness.run(
            """
            let history = student.fit(data, epochs: 5, batchSize: 16, optimizer: Adam(learningRate: 0.02),
                                      verbose: false, teacher: teacher,
                                      distillation: .hinton(temperature: 4, alpha: 0.9))
            """)
        #expect(run.error == nil, "\(run.error.map { "\($0.value)" } ?? "")")
        #expect(
            harness.run("history.metricNames").result
                == "[\"loss\", \"distillation_loss\", \"student_loss\", \"accuracy\"]")
        let combined = """
            let e = history.epochs - 1
            abs(history["loss"][e] - (0.9 * history["distillation_loss"][e] + 0.1 * history["student_loss"][e])) < 1e-4
            """
        #expect(harness.run(combined).result == "true")
        #expect(
            harness.run("(teacher[0].weight.value - teacherWeights).abs().max().scalar").result
                == "0.0")
        #expect(harness.run("student.evaluate(data)[\"accuracy\"]! > 0.9").result == "true")
    }

    @Test func distillationSettingsAreAValueWithDefaults() {
        let harness = CellHarness()
        #expect(
            harness.run("Distillation.hinton()").result == ".hinton(temperature: 4.0, alpha: 0.9)")
        #expect(
            harness.run("Distillation.hinton(temperature: 2, alpha: 0.5).temperature").result
                == "2.0")
    }

    @Test func badSettingsAndAMissingTeacherAreErrors() {
        let harness = harness()
        let missing = harness.run(
            "student.fit(data, optimizer: SGD(learningRate: 0.1), verbose: false, distillation: .hinton())"
        )
        #expect(
            missing.error?.value.contains("needs a teacher") == true,
            "\(missing.error?.value ?? "")")
        let alpha = harness.run(
            """
            student.fit(data, optimizer: SGD(learningRate: 0.1), verbose: false, teacher: teacher,
                        distillation: .hinton(temperature: 4, alpha: 1.5))
            """)
        #expect(
            alpha.error?.value.contains("alpha must lie in [0, 1]") == true,
            "\(alpha.error?.value ?? "")")
        let itself = harness.run(
            "student.fit(data, optimizer: SGD(learningRate: 0.1), verbose: false, teacher: student)"
        )
        #expect(itself.error?.value.contains("cannot be the model being trained") == true)
    }

    @Test func aHandWrittenLoopDistilsThroughDistillationLoss() {
        let harness = harness()
        let run = harness.run(
            """
            let opt = Adam(learningRate: 0.02)
            var losses: [Double] = []
            for epoch in 1...5 {
                for (x, y) in data.batches(of: 16, shuffled: true) {
                    let soft = teacher.predict(x)
                    let (loss, grads) = valueWithGradient(of: student) { s in
                        distillationLoss(student: s(x), teacher: soft, labels: y, temperature: 4, alpha: 0.9)
                    }
                    opt.update(student, along: grads)
                    losses.append(loss.scalar)
                }
            }
            """)
        #expect(run.error == nil, "\(run.error.map { "\($0.value)" } ?? "")")
        #expect(harness.run("losses.last! < losses.first! / 2").result == "true")
        let accuracy = harness.run("student.evaluate(data)[\"accuracy\"]!").result
        #expect(
            harness.run("student.evaluate(data)[\"accuracy\"]! > 0.9").result == "true",
            "\(accuracy ?? "")")
        // The value against the same formula written out in cell code.
        let check = harness.run(
            """
            let x = data.batch([0, 1, 2, 3]).x
            let y = data.batch([0, 1, 2, 3]).y
            let s = student(x)
            let t = teacher.predict(x)
            let p = softmax(t / 2, alongAxis: 1)
            let kl = (p * (p.log() - logSoftmax(s / 2, alongAxis: 1))).sum(alongAxes: [1]).mean() * 4
            let expected = 0.7 * kl + 0.3 * softmaxCrossEntropy(s, y)
            abs((distillationLoss(student: s, teacher: t, labels: y, temperature: 2, alpha: 0.7) - expected).scalar) < 1e-5
            """)
        #expect(check.error == nil, "\(check.error.map { "\($0.value)" } ?? "")")
        #expect(check.result == "true")
    }

    @Test func sizeAndLatencyOfTeacherAndStudentSideBySide() throws {
        let harness = harness()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "distillation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = harness.run(
            """
            teacher.save(to: "\(directory.path)/teacher.safetensors")
            student.save(to: "\(directory.path)/student.safetensors")
            let teacherBytes = fileSize("\(directory.path)/teacher.safetensors")
            let studentBytes = fileSize("\(directory.path)/student.safetensors")
            let x = data.batch([0, 1, 2, 3, 4, 5, 6, 7]).x
            let seconds = latency(of: teacher, on: x, repeats: 5)
            [teacherBytes > 4 * (2 * 32 + 32 + 32 * 3 + 3), studentBytes > 4 * (2 * 8 + 8 + 8 * 3 + 3),
             teacherBytes > studentBytes, seconds > 0]
            """)
        #expect(run.error == nil, "\(run.error.map { "\($0.value)" } ?? "")")
        #expect(run.result == "[true, true, true, true]")
        let missing = harness.run("fileSize(\"\(directory.path)/none.safetensors\")")
        #expect(missing.error?.value.contains("cannot read the size") == true)
    }
}
