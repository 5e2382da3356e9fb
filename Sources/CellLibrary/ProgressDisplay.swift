import Cell
import Dispatch
import Plot

/// One progress display of a long library call in a cell: it keeps the clock, throttles
/// redraws, and sends what Plot's `ProgressReporter` makes of each state to the cell's output
/// (a display updated in place, a `\r`-redrawn text bar, or epoch lines).
///
/// A caller asks `dueTime()` on every step, which costs one clock read, and only builds a
/// `ProgressState` when it answers with a time; epoch ends and the end of the job are always
/// drawn. A display with a `delay` stays hidden until the job has run that long, so that a
/// quick evaluation shows nothing.
///
/// ```swift
/// let display = ProgressDisplay(session: session, verbosity: .bar)
/// if let time = display.dueTime() { display.report(state, event: .step, at: time) }
/// display.report(finalState, event: .finished, at: display.now())
/// ```
final class ProgressDisplay {
    /// The most redraws per second, whatever the rate of steps.
    static let maximumUpdatesPerSecond = 4.0
    /// Columns of the text bar.
    static let textWidth = 80

    private weak var session: Session?
    private var reporter: ProgressReporter
    private var throttle = ProgressThrottle(maximumUpdatesPerSecond: maximumUpdatesPerSecond)
    private let start = DispatchTime.now().uptimeNanoseconds
    private let delay: Double
    /// Whether anything was drawn yet.
    private(set) var isShown = false

    /// Creates a display for one call.
    ///
    /// - Parameters:
    ///   - session: the session whose cell shows it, and whose `%progress` style it takes.
    ///   - verbosity: the call's own choice (`verbose:`).
    ///   - delay: seconds the job must run before anything is drawn (0 draws at once).
    init(session: Session, verbosity: ProgressVerbosity, delay: Double = 0) {
        self.session = session
        self.delay = delay
        // The reporter lets every state through: this display throttles before states are
        // built, so that a step that is not drawn costs nothing but a clock read.
        reporter = ProgressReporter(
            style: session.progress.style(in: session), verbosity: verbosity,
            displayID: session.progress.nextDisplayID(), maximumUpdatesPerSecond: .infinity,
            textWidth: Self.textWidth)
    }

    /// Whether this display draws anything at all.
    var isSilent: Bool {
        reporter.verbosity == .silent || (reporter.verbosity == .bar && reporter.style == .none)
    }

    /// Seconds since the display was made.
    func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e9
    }

    /// The time to draw a step at, or nil when the step should not be drawn (too soon after
    /// the last redraw, or before the delay).
    func dueTime() -> Double? {
        let time = now()
        guard time >= delay, throttle.shouldUpdate(at: time) else { return nil }
        return time
    }

    /// Draws `state`. Steps should come through `dueTime()`; epoch ends and the end always
    /// draw, except on a delayed display that was never shown.
    func report(_ state: ProgressState, event: ProgressEvent, at time: Double) {
        if event != .step {
            _ = throttle.shouldUpdate(at: time, isFinal: true)
            // A delayed display that stayed hidden while the job ran stays hidden.
            if !isShown && delay > 0 { return }
        }
        guard let session else { return }
        for output in reporter.outputs(for: state, event: event, at: time) {
            isShown = true
            switch output {
            case .display(let bundle, let id): session.display(bundle, id: id)
            case .update(let bundle, let id): session.updateDisplay(bundle, id: id)
            case .text(let text):
                session.write(text)
                session.output.flush()
            }
        }
    }
}
