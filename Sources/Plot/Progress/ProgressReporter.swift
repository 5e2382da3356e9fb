import Display

/// How a session shows progress (the `%progress` magic): a display updated in place, a text bar
/// redrawn with `\r` for front ends without display updates, or nothing.
public enum ProgressStyle: String, Sendable, Hashable, CaseIterable {
    /// HTML with a bar and live curves, updated in place (Notebook, Lab).
    case rich
    /// A text bar on stdout redrawn with `\r` (`jupyter console`, terminals).
    case text
    /// No progress display.
    case none
}

/// How much one call reports (the `verbose:` argument of `fit`).
public enum ProgressVerbosity: String, Sendable, Hashable, CaseIterable {
    /// Nothing.
    case silent
    /// The progress display of the session's style.
    case bar
    /// One text line per finished epoch.
    case epochs
}

/// What happened since the last report.
public enum ProgressEvent: Sendable, Hashable {
    /// Some steps were done.
    case step
    /// An epoch finished (its history is in the state).
    case epochEnded
    /// The job ended (finished, interrupted or failed, as the state's phase says).
    case finished
}

/// One thing for the kernel to send.
public enum ProgressOutput: Sendable, Hashable {
    /// Show a new display with this id (`display_data` with a `display_id`).
    case display(MimeBundle, id: String)
    /// Replace the display with this id (`update_display_data`).
    case update(MimeBundle, id: String)
    /// Write text to stdout (a `stream` message).
    case text(String)
}

/// Turns a job's successive states into display outputs: a display that is shown once and then
/// updated in place, a `\r`-redrawn text bar, or epoch lines, throttled so that the number of
/// updates stays bounded whatever the batch rate, with the final state always shown.
///
/// The training loop (or any long call) feeds it states and times; it keeps no clock and no
/// thread, and knows no kernel: the caller sends each `ProgressOutput` where its front end
/// shows it (the cell bindings' `ProgressDisplay` does).
///
/// ```swift
/// var reporter = ProgressReporter(style: .rich, displayID: "fit-1")
/// for output in reporter.outputs(for: state, event: .step, at: clock.seconds) { show(output) }
/// ...
/// reporter.outputs(for: finalState, event: .finished, at: clock.seconds)
/// ```
public struct ProgressReporter: Sendable {
    /// The session's style.
    public let style: ProgressStyle
    /// This call's verbosity.
    public let verbosity: ProgressVerbosity
    /// The display id of the rich display.
    public let displayID: String
    /// Width of text lines in columns.
    public let textWidth: Int
    private var throttle: ProgressThrottle
    private var shown = false
    private var openLineWidth: Int?
    private var lastEpochEnd = 0.0

    /// Creates a reporter for one job.
    ///
    /// - Parameters:
    ///   - style: the session's progress style.
    ///   - verbosity: this call's verbosity (default `.bar`).
    ///   - displayID: a display id unique in the session, for the rich display.
    ///   - maximumUpdatesPerSecond: the throttle (default 4).
    ///   - textWidth: width of text lines (default 80).
    public init(
        style: ProgressStyle, verbosity: ProgressVerbosity = .bar, displayID: String,
        maximumUpdatesPerSecond: Double = 4, textWidth: Int = 80
    ) {
        self.style = style
        self.verbosity = verbosity
        self.displayID = displayID
        self.textWidth = textWidth
        self.throttle = ProgressThrottle(maximumUpdatesPerSecond: maximumUpdatesPerSecond)
    }

    /// The outputs for a new state at `time` (seconds on the caller's monotonic clock).
    public mutating func outputs(for state: ProgressState, event: ProgressEvent, at time: Double)
        -> [ProgressOutput]
    {
        switch verbosity {
        case .silent:
            return []
        case .epochs:
            return epochLines(for: state, event: event)
        case .bar:
            switch style {
            case .none: return []
            case .rich: return richOutputs(for: state, event: event, at: time)
            case .text: return textOutputs(for: state, event: event, at: time)
            }
        }
    }

    private mutating func richOutputs(
        for state: ProgressState, event: ProgressEvent, at time: Double
    ) -> [ProgressOutput] {
        let isFinal = event == .finished
        guard throttle.shouldUpdate(at: time, isFinal: isFinal || !shown) else { return [] }
        let bundle = state.mimeBundle(textWidth: textWidth)
        if shown { return [.update(bundle, id: displayID)] }
        shown = true
        return [.display(bundle, id: displayID)]
    }

    private mutating func textOutputs(
        for state: ProgressState, event: ProgressEvent, at time: Double
    ) -> [ProgressOutput] {
        switch event {
        case .step:
            guard throttle.shouldUpdate(at: time) else { return [] }
            return [.text(redraw(state.line(width: textWidth), ending: false))]
        case .epochEnded:
            // Keras keeps one line per epoch: the epoch's final bar stays, the next starts below.
            _ = throttle.shouldUpdate(at: time, isFinal: true)
            return [.text(redraw(state.line(width: textWidth), ending: true))]
        case .finished:
            guard openLineWidth != nil || state.phase != .finished else { return [] }
            return [.text(redraw(state.line(width: textWidth), ending: true))]
        }
    }

    private mutating func epochLines(for state: ProgressState, event: ProgressEvent)
        -> [ProgressOutput]
    {
        switch event {
        case .step:
            return []
        case .epochEnded:
            let duration = state.elapsed - lastEpochEnd
            lastEpochEnd = state.elapsed
            return [.text(state.epochLine(duration: duration) + "\n")]
        case .finished:
            return state.phase == .finished ? [] : [.text(state.epochLine() + "\n")]
        }
    }

    /// `\r`, the line, spaces over what is left of a longer previous line, and a newline when
    /// the line is done.
    private mutating func redraw(_ line: String, ending: Bool) -> String {
        let width = TerminalWidth.columns(of: line)
        let padding = max((openLineWidth ?? 0) - width, 0)
        openLineWidth = ending ? nil : width
        return "\r" + line + String(repeating: " ", count: padding) + (ending ? "\n" : "")
    }
}
