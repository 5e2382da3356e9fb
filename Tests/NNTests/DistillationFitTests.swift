import Data
import Testing

@testable import NN
@testable import Tensor

/// `fit(…, teacher:, distillation:)`: the teacher left alone, its cached logits matched to the
/// shuffled examples, the History's loss parts, and the errors.
@Suite struct DistillationFitTests {
    /// A trained teacher for the blobs, with dropout (active only in training mode).
    static func trainedTeacher(on data: Dataset) throws -> Sequential {
        let teacher = try Sequential {
            try Dense(2, 32, activation: .relu, seed: 21)
            try Dropout(0.5, seed: 22)
            try Dense(32, 3, seed: 23)
        }
        try teacher.fit(
            data, epochs: 30, batchSize: 16, optimizer: try Adam(learningRate: 0.02),
            generator: RandomGenerator(seed: 24))
        return teacher
    }

    @Test func teacherIsUnchangedUntapedAndInEvaluationModeAndRunsOnce() throws {
        let data = try TrainingFixtures.blobs()
        let teacher = RecordingTeacher(try Self.trainedTeacher(on: data))
        teacher.train()
        let before = TrainingFixtures.weights(of: teacher)
        let student = try TrainingFixtures.mlp(hidden: 4)
        try student.fit(
            data, epochs: 3, batchSize: 16, optimizer: try Adam(learningRate: 0.01),
            generator: RandomGenerator(seed: 1), teacher: teacher,
            distillation: .hinton(temperature: 4, alpha: 0.9))
        #expect(TrainingFixtures.weights(of: teacher) == before)
        #expect(!teacher.sawTape)
        #expect(!teacher.sawTraining)
        #expect(teacher.isTraining && teacher.inner.isTraining, "the teacher's mode is restored")
        // No augmentation: the logits of every example are computed once, not per epoch.
        #expect(teacher.examples == data.count)
        #expect(student.isTraining)
    }

    @Test func augmentedBatchesRunTheTeacherOnEveryBatch() throws {
        let data = try TrainingFixtures.blobs()
        let teacher = RecordingTeacher(try Self.trainedTeacher(on: data))
        try TrainingFixtures.mlp(hidden: 4).fit(
            data, epochs: 2, batchSize: 32, optimizer: try Adam(learningRate: 0.01),
            augmentations: [.gaussianNoise(0.1)], generator: RandomGenerator(seed: 1),
            teacher: teacher)
        let batches = (data.count + 31) / 32
        #expect(teacher.calls == 2 * batches)
        #expect(teacher.examples == 2 * data.count)
        #expect(!teacher.sawTape && !teacher.sawTraining)
    }

    @Test func cachedLogitsBelongToTheExamplesOfEachShuffledBatch() throws {
        let data = try TrainingFixtures.blobs()
        let teacher = try Self.trainedTeacher(on: data)
        var teaching = try Teaching(
            teacher: teacher, distillation: .hinton(), student: try TrainingFixtures.mlp())
        try teaching.prepare(for: data, augmented: false, batchSize: 64, checkInterrupt: nil)
        guard case .cached = teaching.logits else {
            Issue.record("without augmentation the teacher's logits are cached")
            return
        }
        var generator = RandomGenerator(seed: 9)
        let batches = try data.batches(of: 16, shuffled: true, using: &generator)
        for index in 0..<batches.count {
            let batch = try batches.batch(at: index)
            let looked = try teaching.logits(for: batch, at: try batches.positions(ofBatch: index))
            let direct = try teacher.predict(batch.x)
            expectClose(looked.scalars, direct.scalars, tolerance: 1e-5)
        }
    }

    /// With α = 1 the student sees only the teacher's logits: it learns the labels only if each
    /// example gets its own teacher logits, whatever the shuffle.
    @Test func studentLearnsFromTheTeacherAloneThroughTheCache() throws {
        let data = try TrainingFixtures.blobs()
        let teacher = try Self.trainedTeacher(on: data)
        #expect(try #require(try teacher.evaluate(data)["accuracy"]) > 0.95)
        let student = try TrainingFixtures.mlp(hidden: 8, seed: 31)
        try student.fit(
            data, epochs: 30, batchSize: 16, optimizer: try Adam(learningRate: 0.02),
            generator: RandomGenerator(seed: 5), teacher: teacher,
            distillation: .hinton(temperature: 2, alpha: 1))
        #expect(try #require(try student.evaluate(data)["accuracy"]) > 0.95)
    }

    @Test func historyRecordsBothPartsOfTheLoss() throws {
        let data = try TrainingFixtures.blobs(perClass: 40)
        let validation = try TrainingFixtures.blobs(perClass: 10, seed: 9)
        let teacher = try Self.trainedTeacher(on: data)
        let alpha: Float = 0.75
        let history = try TrainingFixtures.mlp(hidden: 4).fit(
            data, epochs: 2, batchSize: 16, optimizer: try Adam(learningRate: 0.01),
            validation: validation, generator: RandomGenerator(seed: 1), teacher: teacher,
            distillation: .hinton(temperature: 3, alpha: alpha))
        #expect(
            history.metricNames == [
                "loss", "distillation_loss", "student_loss", "accuracy", "val_loss",
                "val_accuracy",
            ])
        for record in history.epochs {
            let loss = try #require(record.metrics["loss"])
            let soft = try #require(record.metrics["distillation_loss"])
            let hard = try #require(record.metrics["student_loss"])
            #expect(soft > 0 && hard > 0)
            #expect(abs(loss - (Double(alpha) * soft + Double(1 - alpha) * hard)) < 1e-4)
        }
        // Without a teacher nothing changes.
        let plain = try TrainingFixtures.mlp(hidden: 4).fit(
            data, epochs: 1, batchSize: 16, optimizer: try Adam(learningRate: 0.01))
        #expect(plain.metricNames == ["loss", "accuracy"])
    }

    @Test func fitRejectsWhatCannotBeDistilled() throws {
        let data = try TrainingFixtures.blobs(perClass: 10)
        let student = try TrainingFixtures.mlp()
        let optimizer = try SGD(learningRate: 0.1)
        let before = TrainingFixtures.weights(of: student)
        func failure(_ body: () throws -> Void) -> String {
            do {
                try body()
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(
            failure { try student.fit(data, optimizer: optimizer, distillation: .hinton()) }
                .contains("needs a teacher"))
        #expect(
            failure { try student.fit(data, optimizer: optimizer, teacher: student) }
                .contains("cannot be the model being trained"))
        let sharing = try Sequential {
            try student[0]
            try Dense(16, 3, seed: 1)
        }
        #expect(
            failure { try student.fit(data, optimizer: optimizer, teacher: sharing) }
                .contains("shares"))
        let teacher = try TrainingFixtures.mlp(seed: 40)
        #expect(
            failure {
                try student.fit(
                    data, optimizer: optimizer, teacher: teacher,
                    distillation: .hinton(temperature: 2, alpha: 2))
            }.contains("alpha"))
        let wrongClasses = try TrainingFixtures.mlp(classes: 4, seed: 41)
        #expect(
            failure { try student.fit(data, optimizer: optimizer, teacher: wrongClasses) }
                .contains("same shape"))
        #expect(TrainingFixtures.weights(of: student) == before, "no update before the failures")
    }
}

/// `latency(on:repeats:warmUp:)`: a positive median that grows with the work done.
@Suite struct LatencyTests {
    @Test func aWiderModelTakesLongerAndBadCountsAreErrors() throws {
        let x = try sample([64, 256], seed: 1)
        let small = try Dense(256, 4, seed: 1)
        let large = try Sequential {
            try Dense(256, 1024, activation: .relu, seed: 2)
            try Dense(1024, 1024, activation: .relu, seed: 3)
            try Dense(1024, 4, seed: 4)
        }
        large.train()
        let fast = try small.latency(on: x, repeats: 5)
        let slow = try large.latency(on: x, repeats: 5)
        #expect(fast > 0 && slow.isFinite)
        // About 300 times the multiply-adds: far beyond any timing noise.
        #expect(slow > 3 * fast, "small \(fast) s, large \(slow) s")
        #expect(large.isTraining, "the model's mode is restored")
        #expect(throws: NNError.self) { try small.latency(on: x, repeats: 0) }
        #expect(throws: NNError.self) { try small.latency(on: x, warmUp: -1) }
    }
}
