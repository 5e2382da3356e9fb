import Cell
import Plot

/// The progress of a long library call that has no observer of its own (evaluation or
/// prediction over a big set, the LR range test), drawn from the interrupt check the call makes
/// before each step: each check but the first means one more step done.
///
/// The display appears only once the call has run for a second, so quick calls show nothing.
///
/// ```swift
/// let ticker = ProgressTicker(session: session, title: "Evaluating", stepCount: batches)
/// let results = try ticker.run { check in try model.evaluate(data, checkInterrupt: check) }
/// ```
final class ProgressTicker {
    /// Seconds a call runs before its progress is shown.
    static let delay = 1.0

    private let session: Session
    private let display: ProgressDisplay
    private var state: ProgressState
    private let samplesPerStep: Int
    private var checks = 0

    /// Creates a ticker for one call.
    ///
    /// - Parameters:
    ///   - session: the session whose cell shows the progress.
    ///   - title: what runs ("Evaluating").
    ///   - stepCount: the steps the call makes (batches, sweep steps).
    ///   - stepName: what a step is called.
    ///   - samplesPerStep: examples per step, for the samples-per-second rate (0 for none).
    init(
        session: Session, title: String, stepCount: Int, stepName: String = "batch",
        samplesPerStep: Int = 0
    ) {
        self.session = session
        self.samplesPerStep = samplesPerStep
        display = ProgressDisplay(session: session, verbosity: .bar, delay: Self.delay)
        state = ProgressState(title: title, stepCount: max(stepCount, 1), stepName: stepName)
    }

    /// A ticker for a pass over `steps` examples in batches of `batchSize`.
    convenience init(session: Session, title: String, steps examples: Int, batchSize: Int) {
        let size = max(batchSize, 1)
        self.init(
            session: session, title: title,
            stepCount: examples / size + (examples % size > 0 ? 1 : 0), samplesPerStep: size)
    }

    /// Runs `body` with an interrupt check that also advances the progress, then shows how it
    /// ended (if the progress was shown at all).
    func run<Result>(_ body: (@escaping () throws -> Void) throws -> Result) throws -> Result {
        let check: () throws -> Void = { [self] in
            try session.checkInterrupt()
            tick()
        }
        do {
            let result = try body(check)
            state.step = state.stepCount ?? state.step
            finish(.finished)
            return result
        } catch CellError.interrupted {
            finish(.interrupted)
            throw CellError.interrupted
        } catch {
            finish(.failed(String(describing: error)))
            throw error
        }
    }

    private func tick() {
        checks += 1
        guard let time = display.dueTime() else { return }
        state.step = min(checks - 1, state.stepCount ?? Int.max)
        state.elapsed = time
        state.samples = samplesDone
        display.report(state, event: .step, at: time)
    }

    private func finish(_ phase: ProgressPhase) {
        state.phase = phase
        state.elapsed = display.now()
        state.samples = samplesDone
        display.report(state, event: .finished, at: state.elapsed)
    }

    private var samplesDone: Int {
        let (product, overflow) = state.step.multipliedReportingOverflow(by: samplesPerStep)
        return overflow ? Int.max : product
    }
}
