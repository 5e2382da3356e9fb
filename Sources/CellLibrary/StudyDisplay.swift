import Cell
import Plot
import Tune

/// The live display of `study.optimize` in a cell: trials done of those asked, the running
/// trial's parameters in the title, the best value so far and its curve, drawn through
/// `ProgressDisplay` (updated in place, throttled as `fit`'s; one line per trial with
/// `%progress text`). Trials may finish out of order (a study on a cluster's ranks).
package final class StudyDisplay: StudyObserver {
    private let display: ProgressDisplay
    private var state: ProgressState
    private let firstTrial: Int
    private var done = 0

    private init(session: Session, study: Study, trials: Int) {
        display = ProgressDisplay(session: session, verbosity: .bar)
        firstTrial = study.trials.count
        state = ProgressState(
            title: "Study", stepCount: max(trials, 1), stepName: "trial")
    }

    /// A display for `trials` more trials of `study`, or nil when the session shows no
    /// progress.
    package static func make(for session: Session, study: Study, trials: Int) -> StudyDisplay? {
        let display = StudyDisplay(session: session, study: study, trials: trials)
        return display.display.isSilent ? nil : display
    }

    /// Redraws on a trial's end always, on other events when the throttle allows.
    package func observe(_ event: StudyEvent, in study: Study) {
        switch event {
        case .trialFinished(let number, let trialState, let values):
            if number >= firstTrial { done += 1 }
            update(study, running: nil)
            state.title =
                "Study: trial \(number) \(trialState.name)"
                + (values.first.map { " (\(format($0)))" } ?? "")
            display.report(state, event: .epochEnded, at: display.now())
        case .trialStarted(let number), .parameterSet(let number, _, _, _),
            .reported(let number, _, _):
            guard let time = display.dueTime() else { return }
            update(study, running: number)
            display.report(state, event: .step, at: time)
        default: break
        }
    }

    /// Draws the end of the study.
    package func finish() {
        state.phase = .finished
        display.report(state, event: .finished, at: display.now())
    }

    private func update(_ study: Study, running number: Int?) {
        state.step = done
        state.elapsed = display.now()
        if let number, number < study.trials.count {
            let trial = study.trials[number]
            let parameters = trial.parameterOrder.compactMap { name in
                trial.parameters[name].map { "\(name)=\(describe($0))" }
            }
            let step = trial.lastStep.map { ", step \($0)" } ?? ""
            state.title =
                "Study: trial \(number) (\(parameters.joined(separator: ", "))\(step))"
        }
        let best = study.bestValues.compactMap { $0 }
        state.metrics = best.last.map { [ProgressMetric("best", $0)] } ?? []
        state.history = best.isEmpty ? [] : [MetricHistory(name: "best", values: best)]
    }

    private func describe(_ value: ParameterValue) -> String {
        if case .double(let x) = value { return format(x) }
        return value.description
    }

    private func format(_ value: Double) -> String { NumberFormat.automatic.format(value) }
}
