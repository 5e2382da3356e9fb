import Testing

@testable import Tune

final class RecordingStudyObserver: StudyObserver {
    var lines: [String] = []

    func observe(_ event: StudyEvent, in study: Study) {
        switch event {
        case .trialStarted(let number):
            lines.append("start \(number) of \(study.trials.count)")
        case .parameterSet(let number, let name, _, let value):
            lines.append("param \(number) \(name)=\(value)")
        case .reported(let number, let step, let values):
            lines.append("report \(number) @\(step) \(values)")
        case .trialFinished(let number, let state, _):
            let best = study.bestValues.last.flatMap { $0 }.map { "\($0)" } ?? "none"
            lines.append("finish \(number) \(state.name) best \(best)")
        case .trialTimed(let number, let seconds):
            lines.append("time \(number)" + (seconds >= 0 ? "" : " negative"))
        default:
            lines.append("other")
        }
    }
}

/// The event stream a live display draws from, and the best-so-far series.
@Suite struct StudyObserverTests {
    @Test func theObserverSeesEveryEventAfterTheStudyReflectsIt() throws {
        let study = Study(direction: .maximize, sampler: .grid(["x": [1, 3, 2]]))
        let observer = RecordingStudyObserver()
        study.observer = observer
        try study.optimize(trials: 3) { trial in
            let x = try trial.int("x", 1...3)
            trial.report(Double(x), step: 1)
            if x == 2 { throw TrialPruned() }
            return Double(x)
        }
        #expect(
            observer.lines == [
                "start 0 of 1", "param 0 x=1", "report 0 @1 [1.0]", "time 0",
                "finish 0 complete best 1.0",
                "start 1 of 2", "param 1 x=3", "report 1 @1 [3.0]", "time 1",
                "finish 1 complete best 3.0",
                "start 2 of 3", "param 2 x=2", "report 2 @1 [2.0]", "time 2",
                "finish 2 pruned best 3.0",
            ])
        #expect(study.bestValues == [1, 3, 3])
        let minimizing = Study(direction: .minimize, sampler: .grid(["x": [2, 3, 1]]))
        try minimizing.optimize(trials: 3) { trial in
            let x = try trial.int("x", 1...3)
            trial.constrain(x == 3 ? 1 : 0)  // 3 is infeasible: never the best
            return Double(x)
        }
        #expect(minimizing.bestValues == [2, 2, 1])
    }
}
