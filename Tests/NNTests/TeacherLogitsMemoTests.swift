import Data
import Testing

@testable import NN
@testable import Tensor

/// `TeacherLogitsMemo`: students distilled one after another from one teacher on one data set
/// run the teacher over the set once, learn exactly what a fresh computation teaches, and a
/// teacher changed in between, another data set or a teacher without an architecture runs again.
@Suite struct TeacherLogitsMemoTests {
    /// A student distilled from `teacher` on `data` (the same seeds every call).
    static func distilledStudent(from teacher: any Layer, on data: Dataset) throws -> Sequential {
        let student = try TrainingFixtures.mlp(hidden: 4)
        try student.fit(
            data, epochs: 2, batchSize: 16, optimizer: try Adam(learningRate: 0.01),
            generator: RandomGenerator(seed: 1), teacher: teacher,
            distillation: .hinton(temperature: 2, alpha: 0.7))
        return student
    }

    @Test func aSecondStudentReusesTheLogitsAndLearnsExactlyTheSame() throws {
        let data = try TrainingFixtures.blobs()
        let teacher = RecordingTeacher(
            try DistillationFitTests.trainedTeacher(on: data), describesArchitecture: true)
        let first = try Self.distilledStudent(from: teacher, on: data)
        #expect(teacher.examples == data.count)
        let second = try Self.distilledStudent(from: teacher, on: data)
        #expect(teacher.examples == data.count, "the second fit ran the teacher again")
        #expect(TrainingFixtures.weights(of: second) == TrainingFixtures.weights(of: first))
    }

    @Test func aChangedTeacherRunsAgainAndTeachesItsNewLogits() throws {
        let data = try TrainingFixtures.blobs()
        let teacher = RecordingTeacher(
            try DistillationFitTests.trainedTeacher(on: data), describesArchitecture: true)
        let before = try Self.distilledStudent(from: teacher, on: data)
        let weight = try #require(teacher.inner.namedParameters().first?.parameter)
        try weight.assign(weight.value * 1.5)
        let after = try Self.distilledStudent(from: teacher, on: data)
        #expect(teacher.examples == 2 * data.count)
        #expect(TrainingFixtures.weights(of: after) != TrainingFixtures.weights(of: before))
        // The same as a student taught by a separate copy of the changed teacher.
        let copy = RecordingTeacher(
            try DistillationFitTests.trainedTeacher(on: data), describesArchitecture: true)
        try copy.load(stateDict: teacher.stateDict())
        let fresh = try Self.distilledStudent(from: copy, on: data)
        #expect(copy.examples == data.count)
        #expect(TrainingFixtures.weights(of: fresh) == TrainingFixtures.weights(of: after))
    }

    @Test func anotherDataSetRunsTheTeacherAgain() throws {
        let data = try TrainingFixtures.blobs()
        let teacher = RecordingTeacher(
            try DistillationFitTests.trainedTeacher(on: data), describesArchitecture: true)
        _ = try Self.distilledStudent(from: teacher, on: data)
        let part = data.prefix(90)
        _ = try Self.distilledStudent(from: teacher, on: part)
        _ = try Self.distilledStudent(from: teacher, on: part)
        #expect(teacher.examples == data.count + part.count)
    }

    @Test func aTeacherWithoutAnArchitectureRunsEveryFit() throws {
        let data = try TrainingFixtures.blobs()
        let teacher = RecordingTeacher(
            try DistillationFitTests.trainedTeacher(on: data))
        _ = try Self.distilledStudent(from: teacher, on: data)
        _ = try Self.distilledStudent(from: teacher, on: data)
        #expect(teacher.examples == 2 * data.count)
    }
}
